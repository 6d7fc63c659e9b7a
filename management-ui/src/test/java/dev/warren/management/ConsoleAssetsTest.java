package dev.warren.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The web console's files are served from the jar without credentials, beside the API. */
class ConsoleAssetsTest extends ApiTestSupport {

  @Test
  void rootServesTheConsolePageWithoutCredentials() throws Exception {
    Reply page = callRaw("/");
    assertEquals(200, page.status());
    assertEquals("text/html; charset=utf-8", page.raw().headers().firstValue("content-type").get());
    assertTrue(page.raw().body().contains("<script type=\"module\" src=\"/js/app.js\">"));
    assertEquals(page.raw().body(), callRaw("/index.html").raw().body());
  }

  @Test
  void scriptsStylesAndTheChartLibraryAreServedWithTheirTypes() throws Exception {
    Reply app = callRaw("/js/app.js");
    assertEquals(200, app.status());
    assertEquals(
        "text/javascript; charset=utf-8", app.raw().headers().firstValue("content-type").get());
    assertEquals(
        "text/css; charset=utf-8",
        callRaw("/console.css").raw().headers().firstValue("content-type").get());
    // The version in this path is the one charts.js and index.html import: a WebJar upgrade
    // that forgets them fails here.
    Reply uplot = callRaw("/webjars/uplot/1.6.30/dist/uPlot.esm.js");
    assertEquals(200, uplot.status());
    assertTrue(uplot.raw().body().contains("export { uPlot as default }"));
  }

  @Test
  void unknownFilesAndEscapesAreNotFoundAndTheApiStillAnswersItsOwn404() throws Exception {
    assertEquals(404, callRaw("/nosuch.js").status());
    assertEquals(404, callRaw("/js/../../ManagementServer.class").status());
    assertEquals(404, callRaw("/webjars/%2e%2e/x.js").status());
    assertEquals(404, callRaw("/dev/warren/management/ManagementServer.class").status());
    Reply api = get("/api/nosuch");
    assertEquals(404, api.status());
    assertEquals("Object Not Found", api.json().get("error").asText());
  }

  private Reply callRaw(String path) throws Exception {
    var r =
        http.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(base() + path)).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), null, r);
  }
}
