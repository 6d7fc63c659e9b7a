package dev.warren.management.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web console's static files, read from this jar: {@code /} and {@code /index.html} are the
 * console's page, other paths name files under the classpath folder {@code
 * dev/warren/management/console/}, and {@code /webjars/...} names files of the WebJars on the
 * classpath ({@code META-INF/resources/webjars/...}, where uPlot comes from). No credentials are
 * needed for these files: the page itself asks for them and sends them to {@code /api}.
 *
 * <p>Thread: any management worker. Files are read once and kept (the whole console is a few
 * hundred kilobytes); a missing file is remembered as missing.
 */
public final class ConsoleAssets {
  private static final String CONSOLE = "dev/warren/management/console/";
  private static final String WEBJARS = "META-INF/resources/webjars/";
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "mjs", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png",
          "json", "application/json",
          "ico", "image/x-icon");

  private final Map<String, Optional<byte[]>> cache = new ConcurrentHashMap<>();

  /** A file's bytes and media type. */
  public record Asset(String contentType, byte[] bytes) {}

  /** The file a GET of {@code rawPath} (no query) names, or empty (then the answer is 404). */
  public Optional<Asset> find(String rawPath) {
    String resource = resource(rawPath);
    if (resource == null) {
      return Optional.empty();
    }
    String ext = resource.substring(resource.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    String type = TYPES.get(ext);
    if (type == null) {
      return Optional.empty();
    }
    return cache.computeIfAbsent(resource, ConsoleAssets::read).map(b -> new Asset(type, b));
  }

  /** The classpath name for a request path; null for what is not a console file. */
  static String resource(String rawPath) {
    if (rawPath.equals("/") || rawPath.equals("/index.html")) {
      return CONSOLE + "index.html";
    }
    if (rawPath.contains("..") || rawPath.contains("//") || rawPath.contains("%")) {
      return null;
    }
    if (rawPath.startsWith("/webjars/")) {
      return WEBJARS + rawPath.substring("/webjars/".length());
    }
    if (rawPath.startsWith("/api/") || rawPath.equals("/api")) {
      return null;
    }
    return CONSOLE + rawPath.substring(1);
  }

  private static Optional<byte[]> read(String resource) {
    try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(resource)) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
