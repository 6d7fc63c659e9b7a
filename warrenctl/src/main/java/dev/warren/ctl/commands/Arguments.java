package dev.warren.ctl.commands;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.warren.ctl.CtlException;
import dev.warren.ctl.ExitCode;
import dev.warren.ctl.ManagementApi;

/** Reading the JSON documents commands are given on the command line. */
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
}
