package dev.warren.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warren.management.spi.QueueInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** export_definitions and import_definitions. */
class DefinitionsCommandsTest extends CtlTestSupport {
  static final String STARTED =
      "Successfully started definition import. This process is asynchronous and can take some"
          + " time.";

  @TempDir Path dir;

  @Test
  void exportToStdoutWritesTheApisDefinitionsAsCompactJsonWithoutAFinalNewline()
      throws IOException {
    declareTopology();

    Run export = ctl("export_definitions", "-");

    assertEquals(0, export.exitCode());
    assertTrue(export.out().startsWith("{\"") && export.out().endsWith("}"), export.out());
    JsonNode definitions = ManagementApi.JSON.readTree(export.out());
    assertEquals("q.args", definitions.path("queues").path(0).path("name").asText());
    assertEquals(
        10, definitions.path("queues").path(0).path("arguments").path("x-max-length").asInt());
    assertEquals("guest", definitions.path("users").path(0).path("name").asText());
  }

  @Test
  void exportToAFileSaysWhereAndInJsonWrapsTheDocumentInAMessage() throws IOException {
    Path file = dir.resolve("defs.json");

    Run export = ctl("export_definitions", file.toString());
    Run json = ctl("export_definitions", "-", "--formatter", "json");

    assertEquals(
        lines("Exporting definitions in JSON to a file at \"" + file + "\" ..."), export.out());
    String document = Files.readString(file, StandardCharsets.UTF_8);
    assertEquals(
        "/", ManagementApi.JSON.readTree(document).path("vhosts").path(0).path("name").asText());
    JsonNode wrapped = ManagementApi.JSON.readTree(json.out());
    List<String> fields = new ArrayList<>();
    wrapped.fieldNames().forEachRemaining(fields::add);
    assertEquals(List.of("message"), fields);
    assertEquals(
        ManagementApi.JSON.readTree(document),
        ManagementApi.JSON.readTree(wrapped.path("message").asText()));
    assertFalse(json.out().endsWith("\n"), json.out());
  }

  @Test
  void exportIntoADirectoryThatDoesNotExistIsAnArgumentErrorWithStatus65() {
    Run export = ctl("export_definitions", "/nonexistent/dir/defs.json");

    assertEquals(65, export.exitCode());
    assertEquals("", export.out());
    assertEquals(
        lines(
            "Error (argument validation): Bad argument: Directory /nonexistent/dir does not exist",
            "Arguments given:",
            "\texport_definitions /nonexistent/dir/defs.json",
            "",
            "Usage",
            "",
            "warrenctl [--node <node>] [--longnames] [--quiet] export_definitions <file_path |"
                + " \"-\"> [--format <json | erlang>] [--timeout <timeout>]"),
        export.err());
  }

  @Test
  void anUnknownFormatIsStatus65() {
    Run export = ctl("export_definitions", "-", "--format", "xml");

    assertEquals(65, export.exitCode());
    assertTrue(
        export
            .err()
            .startsWith(
                lines(
                    "Error (argument validation): Bad argument: Format should be either json or"
                        + " erlang")),
        export.err());
  }

  @Test
  void importFromAFileDeclaresWhatItDefines() throws IOException {
    Path file = dir.resolve("defs.json");
    Files.writeString(file, definitions("imported"), StandardCharsets.UTF_8);

    Run importing = ctl("import_definitions", file.toString());

    assertEquals(0, importing.exitCode());
    assertEquals(
        lines("Importing definitions in JSON from a file at \"" + file + "\" ...", STARTED),
        importing.out());
    assertEquals(List.of("imported"), queueNames());
  }

  @Test
  void importWithoutAFileReadsStandardInputAndInJsonAnswersOkWithoutAFinalNewline() {
    Run importing = ctlWithInput(definitions("from-stdin"), "import_definitions");
    Run json = ctlWithInput(definitions("in-json"), "import_definitions", "--formatter", "json");

    assertEquals(
        lines("Importing definitions in JSON from standard input ...", STARTED), importing.out());
    assertEquals("{\"node\":\"warren@localhost\",\"result\":\"ok\"}", json.out());
    assertEquals(List.of("from-stdin", "in-json"), queueNames());
  }

  @Test
  void importOfAFileThatDoesNotExistIsStatus65() {
    Run importing = ctl("import_definitions", "-");

    assertEquals(65, importing.exitCode());
    assertTrue(
        importing
            .err()
            .startsWith(lines("Error (argument validation): Bad argument: File - does not exist")),
        importing.err());
  }

  @Test
  void importOfSomethingThatIsNotJsonIsStatus65() throws IOException {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{bad", StandardCharsets.UTF_8);

    Run importing = ctl("import_definitions", file.toString());

    // rabbitmqctl names its parser's complaint, e.g. (error: {:unexpected_token, "bad"}).
    assertEquals(65, importing.exitCode());
    assertEquals(
        lines("Importing definitions in JSON from a file at \"" + file + "\" ..."),
        importing.out());
    assertEquals(
        lines("Error:", "Failed to deserialise input (format: JSON) (error: invalid JSON)"),
        importing.err());
  }

  private static String definitions(String queue) {
    return "{\"queues\":[{\"name\":\""
        + queue
        + "\",\"vhost\":\"/\",\"durable\":true,\"auto_delete\":false,\"arguments\":{}}]}";
  }

  private List<String> queueNames() {
    return backend.queues().stream().map(QueueInfo::name).sorted().toList();
  }
}
