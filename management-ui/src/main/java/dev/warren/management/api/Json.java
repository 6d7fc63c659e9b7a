package dev.warren.management.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warren.management.http.ApiError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON in and out: request bodies to trees, trees to the plain Java values the SPI carries (and
 * back). One shared, thread-safe {@link ObjectMapper}.
 */
public final class Json {
  /**
   * A scalar as RabbitMQ's validation texts print the term it decodes from it: a string as {@code
   * <<"text">>}, anything else as its JSON.
   */
  static String erlangTerm(JsonNode v) {
    return v.isTextual() ? "<<" + v + ">>" : v.toString();
  }

  public static final ObjectMapper MAPPER = new ObjectMapper();
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Json() {}

  static ObjectNode object() {
    return NODES.objectNode();
  }

  static ArrayNode array() {
    return NODES.arrayNode();
  }

  /**
   * The body as a JSON object; an empty body is an empty object. Anything else is RabbitMQ's 400
   * {@code not_json}.
   */
  static ObjectNode body(byte[] body) {
    if (body.length == 0) {
      return object();
    }
    JsonNode n;
    try {
      n = MAPPER.readTree(body);
    } catch (IOException e) {
      throw ApiError.badRequest("not_json");
    }
    if (n == null || n.isMissingNode()) {
      return object();
    }
    if (!n.isObject()) {
      throw ApiError.badRequest("not_json");
    }
    return (ObjectNode) n;
  }

  /** A JSON tree as plain Java: Map, List, String, Long/Integer, Double, Boolean, null. */
  static Object plain(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    if (n.isObject()) {
      Map<String, Object> m = new LinkedHashMap<>();
      n.properties().forEach(e -> m.put(e.getKey(), plain(e.getValue())));
      return m;
    }
    if (n.isArray()) {
      List<Object> l = new ArrayList<>();
      n.forEach(x -> l.add(plain(x)));
      return l;
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isIntegralNumber()) {
      return n.canConvertToLong() ? (Object) n.longValue() : n.bigIntegerValue();
    }
    if (n.isNumber()) {
      return n.doubleValue();
    }
    return n.asText();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> plainObject(JsonNode n) {
    Object p = plain(n);
    return p instanceof Map ? (Map<String, Object>) p : new LinkedHashMap<>();
  }

  /** Plain Java (as the SPI carries it) to a tree. */
  static JsonNode tree(Object value) {
    return MAPPER.valueToTree(value);
  }

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
