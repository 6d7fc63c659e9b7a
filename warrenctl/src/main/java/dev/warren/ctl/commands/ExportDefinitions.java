package dev.warren.ctl.commands;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.warren.ctl.ApiPath;
import dev.warren.ctl.Ctl;
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
 * export_definitions: GET /api/definitions, written as compact JSON (no final newline, as
 * rabbitmqctl writes it) to the file or, for "-", to stdout. The content is the API's export, which
 * differs from rabbitmqctl's in details (see the module README). The erlang format cannot be had
 * over HTTP.
 */
@Command(
    name = "export_definitions",
    description = "Exports definitions in JSON",
    customSynopsis =
        "export_definitions <file_path | \"-\"> [--format <json | erlang>] [--timeout <timeout>]")
public final class ExportDefinitions implements Callable<Integer> {
  @ParentCommand Warrenctl root;

  @Parameters(index = "0", paramLabel = "<file_path | \"-\">")
  String file;

  @Option(names = "--format", paramLabel = "<json | erlang>")
  String format = "json";

  @Override
  public Integer call() throws IOException {
    Definitions.checkFormat(format);
    Path target = "-".equals(file) ? null : Path.of(file).toAbsolutePath();
    if (target != null && !Files.isDirectory(target.getParent())) {
      throw new UsageException(
          ExitCode.DATA_ERROR,
          "Bad argument: Directory " + Path.of(file).getParent() + " does not exist");
    }
    Ctl ctl = root.ctl();
    if (target != null) {
      ctl.out().banner("Exporting definitions in JSON to a file at \"" + file + "\" ...");
    }
    String json = compact(ctl.api().require(ApiPath.of("definitions")));
    if (target == null) {
      if (ctl.out().json()) {
        ctl.out().jsonUnterminated(Map.of("message", json));
      } else {
        ctl.out().raw(json);
      }
    } else {
      Files.writeString(target, json, StandardCharsets.UTF_8);
    }
    return 0;
  }

  private static String compact(JsonNode definitions) throws JsonProcessingException {
    return ManagementApi.JSON.writeValueAsString(definitions);
  }
}
