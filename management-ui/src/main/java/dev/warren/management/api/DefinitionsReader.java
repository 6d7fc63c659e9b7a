package dev.warren.management.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warren.management.http.ApiError;
import dev.warren.management.spi.BindingInfo;
import dev.warren.management.spi.BindingInfo.DestinationType;
import dev.warren.management.spi.Definitions;
import dev.warren.management.spi.ExchangeSpec;
import dev.warren.management.spi.GlobalParameter;
import dev.warren.management.spi.Parameter;
import dev.warren.management.spi.Permission;
import dev.warren.management.spi.Policy;
import dev.warren.management.spi.QueueSpec;
import dev.warren.management.spi.TopicPermission;
import dev.warren.management.spi.UserInfo;
import dev.warren.management.spi.VhostSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Reads RabbitMQ's definitions JSON into {@link Definitions}, checking every field it uses; a bad
 * file is refused whole with 400 naming the bad field's path ({@code queues[3].name}). Unknown
 * top-level keys are ignored, as RabbitMQ ignores them. Used by {@code POST /api/definitions} and,
 * through {@link #parse}, by a broker importing a file at start.
 */
public final class DefinitionsReader {
  private DefinitionsReader() {}

  /**
   * A definitions file (an export's JSON) for a whole-broker import.
   *
   * @param defaultAlgorithm the hashing algorithm of users whose entry names none
   * @throws ApiError 400 {@code not_json}, or naming the bad field's path
   */
  public static Definitions parse(byte[] json, String defaultAlgorithm) {
    return read(Json.body(json), Optional.empty(), defaultAlgorithm);
  }

  static Definitions read(JsonNode root, Optional<String> vhost, String defaultAlgorithm) {
    return new Definitions(
        list(root, "users", (n, p) -> user(n, p, defaultAlgorithm)),
        list(
            root,
            "vhosts",
            (n, p) ->
                new VhostSpec(
                    text(n, p, "name"),
                    optText(n, "description", ""),
                    Api.tags(Json.plain(n.get("tags"))),
                    optText(n, "default_queue_type", "undefined"),
                    false)),
        list(
            root,
            "permissions",
            (n, p) ->
                new Permission(
                    text(n, p, "user"),
                    vh(n, p, vhost),
                    text(n, p, "configure"),
                    text(n, p, "write"),
                    text(n, p, "read"))),
        list(
            root,
            "topic_permissions",
            (n, p) ->
                new TopicPermission(
                    text(n, p, "user"),
                    vh(n, p, vhost),
                    text(n, p, "exchange"),
                    text(n, p, "write"),
                    text(n, p, "read"))),
        list(
            root,
            "parameters",
            (n, p) ->
                new Parameter(
                    vh(n, p, vhost),
                    text(n, p, "component"),
                    text(n, p, "name"),
                    Json.plain(n.get("value")))),
        list(
            root,
            "global_parameters",
            (n, p) -> new GlobalParameter(text(n, p, "name"), Json.plain(n.get("value")))),
        list(
            root,
            "policies",
            (n, p) ->
                new Policy(
                    vh(n, p, vhost),
                    text(n, p, "name"),
                    text(n, p, "pattern"),
                    optText(n, "apply-to", "all"),
                    object(n, p, "definition"),
                    n.path("priority").asInt(0))),
        list(
            root,
            "queues",
            (n, p) ->
                new QueueSpec(
                    vh(n, p, vhost),
                    text(n, p, "name"),
                    n.path("durable").asBoolean(true),
                    n.path("auto_delete").asBoolean(false),
                    optObject(n, p, "arguments"))),
        list(
            root,
            "exchanges",
            (n, p) ->
                new ExchangeSpec(
                    vh(n, p, vhost),
                    text(n, p, "name"),
                    text(n, p, "type"),
                    n.path("durable").asBoolean(true),
                    n.path("auto_delete").asBoolean(false),
                    n.path("internal").asBoolean(false),
                    optObject(n, p, "arguments"))),
        list(root, "bindings", (n, p) -> binding(n, p, vhost)));
  }

  private static UserInfo user(JsonNode n, String p, String defaultAlgorithm) {
    return new UserInfo(
        text(n, p, "name"),
        optText(n, "password_hash", ""),
        optText(n, "hashing_algorithm", defaultAlgorithm),
        Api.tags(Json.plain(n.get("tags"))),
        Map.of());
  }

  private static BindingInfo binding(JsonNode n, String p, Optional<String> vhost) {
    String type = text(n, p, "destination_type");
    DestinationType t =
        switch (type) {
          case "queue" -> DestinationType.QUEUE;
          case "exchange" -> DestinationType.EXCHANGE;
          default -> throw bad(p + ".destination_type", "must be queue or exchange");
        };
    return new BindingInfo(
        vh(n, p, vhost),
        text(n, p, "source"),
        text(n, p, "destination"),
        t,
        optText(n, "routing_key", ""),
        optObject(n, p, "arguments"));
  }

  private static <T> List<T> list(
      JsonNode root, String key, BiFunction<JsonNode, String, T> reader) {
    JsonNode a = root.get(key);
    List<T> out = new ArrayList<>();
    if (a == null || a.isNull()) {
      return out;
    }
    if (!a.isArray()) {
      throw bad(key, "must be a list");
    }
    for (int i = 0; i < a.size(); i++) {
      String path = key + "[" + i + "]";
      if (!a.get(i).isObject()) {
        throw bad(path, "must be an object");
      }
      out.add(reader.apply(a.get(i), path));
    }
    return out;
  }

  private static String vh(JsonNode n, String path, Optional<String> vhost) {
    return vhost.orElseGet(() -> text(n, path, "vhost"));
  }

  private static String text(JsonNode n, String path, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw bad(path + "." + field, v == null ? "is missing" : "must be a string");
    }
    return v.textValue();
  }

  private static String optText(JsonNode n, String field, String dflt) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? dflt : v.asText();
  }

  private static Map<String, Object> object(JsonNode n, String path, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isObject()) {
      throw bad(path + "." + field, v == null ? "is missing" : "must be an object");
    }
    return Json.plainObject(v);
  }

  private static Map<String, Object> optObject(JsonNode n, String path, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return Map.of();
    }
    return object(n, path, field);
  }

  private static ApiError bad(String path, String what) {
    return ApiError.badRequest("definitions: " + path + " " + what);
  }
}
