package dev.warren.ctl.commands;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.warren.ctl.ApiPath;
import dev.warren.ctl.ApiResponse;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.CtlException;
import dev.warren.ctl.ExitCode;
import dev.warren.ctl.ManagementApi;
import dev.warren.ctl.UsageException;
import dev.warren.ctl.Warrenctl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * import_definitions: the file (or stdin when none is named) read and parsed, then POST
 * /api/definitions. The API imports before it answers; the message still says the import "started",
 * as rabbitmqctl's does.
 */
@Command(
    name = "import_definitions",
    description = "Imports definitions in JSON",
    customSynopsis =
        "import_definitions <file_path | \"-\"> [--format <json | erlang>] [--skip-if-unchanged]"
            + " [--timeout <timeout>]")
public final class ImportDefinitions implements Callable<Integer> {
  @ParentCommand Warrenctl root;

  @Parameters(index = "0", arity = "0..1", paramLabel = "<file_path>")
  String file;

  @Option(names = "--format", paramLabel = "<json | erlang>")
  String format = "json";

  @Option(names = "--skip-if-unchanged", description = "accepted; the import always runs")
  boolean skipIfUnchanged;

  @Override
  public Integer call() throws IOException {
    Definitions.checkFormat(format);
    if (file != null && !Files.isRegularFile(Path.of(file))) {
      throw new UsageException(
          ExitCode.DATA_ERROR, "Bad argument: File " + file + " does not exist");
    }
    Ctl ctl = root.ctl();
    String text;
    if (file == null) {
      ctl.out().banner("Importing definitions in JSON from standard input ...");
      text = new String(ctl.stdin().readAllBytes(), StandardCharsets.UTF_8);
    } else {
      ctl.out().banner("Importing definitions in JSON from a file at \"" + file + "\" ...");
      text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
    }
    JsonNode definitions;
    try {
      definitions = ManagementApi.JSON.readTree(text);
    } catch (JsonProcessingException e) {
      definitions = null;
    }
    if (definitions == null || !definitions.isObject()) {
      throw CtlException.error(
          ExitCode.DATA_ERROR, "Failed to deserialise input (format: JSON) (error: invalid JSON)");
    }
    String path = ApiPath.of("definitions");
    ApiResponse response = ctl.api().post(path, definitions);
    if (!response.ok()) {
      JsonNode reason = response.body().path("reason");
      if (reason.isArray() && "no_such_vhost".equals(reason.path(0).asText())) {
        throw CtlException.noSuchVhost(reason.path(1).asText());
      }
      throw CtlException.error(ExitCode.DATA_ERROR, response.reason());
    }
    if (ctl.out().json()) {
      ctl.out().jsonUnterminated(Map.of("node", ctl.node(), "result", "ok"));
    } else {
      ctl.out()
          .info(
              "Successfully started definition import. This process is asynchronous and can take"
                  + " some time.");
    }
    return 0;
  }
}
