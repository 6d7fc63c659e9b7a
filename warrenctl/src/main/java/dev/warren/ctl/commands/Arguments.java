package dev.warren.ctl.commands;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.CtlException;
import dev.warren.ctl.ExitCode;
import dev.warren.ctl.ManagementApi;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Reading what commands are given: JSON documents on the command line, passwords from stdin. */
final class Arguments {
  private Arguments() {}

  /** A JSON document argument (a policy's definition, limits, a parameter's value). */
  static JsonNode json(String text) {
    try {
      JsonNode parsed = ManagementApi.JSON.readTree(text);
      if (parsed == null || parsed.isMissingNode()) {
        throw badJson();
      }
      return parsed;
    } catch (JsonProcessingException e) {
      throw badJson();
    }
  }

  /** A JSON object argument (limits). */
  static JsonNode jsonObject(String text) {
    JsonNode parsed = json(text);
    if (!parsed.isObject()) {
      throw badJson();
    }
    return parsed;
  }

  private static CtlException badJson() {
    return CtlException.error(ExitCode.UNAVAILABLE, "JSON decoding error. Reason: badarg");
  }

  /**
   * The password argument, or when it was left out the first line of stdin, as rabbitmqctl reads it
   * (after printing "Password: ", unless -q, -s or the JSON format).
   */
  static String password(Ctl ctl, String given) {
    if (given != null) {
      return given;
    }
    ctl.out().banner("Password: ");
    String line;
    try {
      line =
          new BufferedReader(new InputStreamReader(ctl.stdin(), StandardCharsets.UTF_8)).readLine();
    } catch (IOException e) {
      line = null;
    }
    if (line == null || line.isEmpty()) {
      throw CtlException.error(
          ExitCode.DATA_ERROR, "Password is not provided via argument or stdin");
    }
    return line;
  }
}
