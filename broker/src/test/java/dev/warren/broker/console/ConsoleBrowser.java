package dev.warren.broker.console;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium, driven through Debian's chromedriver, with a profile of its own that
 * is deleted on {@link #close()}. interop/install installs both packages; when they are missing the
 * tests fail (they never skip), naming the package.
 */
final class ConsoleBrowser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Duration WAIT = Duration.ofSeconds(20);

  final ChromeDriver driver;
  final WebDriverWait wait;
  private final Path profile;
  private final String base;

  ConsoleBrowser(String base) throws IOException {
    assertTrue(
        Files.isExecutable(CHROMIUM),
        CHROMIUM + " is missing: interop/install installs Debian's chromium (apt-get)");
    assertTrue(
        Files.isExecutable(CHROMEDRIVER),
        CHROMEDRIVER + " is missing: interop/install installs Debian's chromium-driver (apt-get)");
    this.base = base;
    profile = Files.createTempDirectory("warren-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
    wait = new WebDriverWait(driver, WAIT);
  }

  /** Opens the console at {@code hash} ({@code #/queues}) in a fresh session, logged out. */
  void open(String hash) {
    driver.get(base + "/" + hash);
  }

  /** Logs in through the form and waits for the user's name in the header. */
  void logIn(String user, String password) {
    open("");
    driver.executeScript("sessionStorage.clear()");
    driver.navigate().refresh();
    WebElement name = wait.until(ExpectedConditions.elementToBeClickable(By.id("login-user")));
    name.sendKeys(user);
    driver.findElement(By.id("login-password")).sendKeys(password);
    driver.findElement(By.cssSelector("#login button[type=submit]")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("whoami"), user));
  }

  void go(String hash) {
    driver.executeScript("location.hash = arguments[0]", hash);
  }

  WebElement waitFor(By by) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  void waitForText(By by, String text) {
    wait.until(ExpectedConditions.textToBePresentInElementLocated(by, text));
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  WebDriver driver() {
    return driver;
  }

  /** A PNG of the window, for the docs. */
  void screenshot(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    byte[] png = driver.getScreenshotAs(org.openqa.selenium.OutputType.BYTES);
    Files.write(file, png);
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> paths = Files.walk(profile)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // A leftover temp profile is harmless.
      }
    }
  }
}
