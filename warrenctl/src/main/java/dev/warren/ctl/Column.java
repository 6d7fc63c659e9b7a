package dev.warren.ctl;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.util.function.Function;

/**
 * One column a list command can show: its rabbitmqctl name (an "info key"), where its value is in
 * the API's JSON object for a row, and how the value is shown.
 */
public record Column(String name, Function<JsonNode, JsonNode> value, ValueKind kind) {
  /** A column whose value is the API object's field of the same name. */
  public static Column of(String name) {
    return of(name, ValueKind.PLAIN);
  }

  public static Column of(String name, ValueKind kind) {
    return new Column(name, row -> row.path(name), kind);
  }

  /** A column whose value is at a path of fields of the API object ("channel_details", "name"). */
  public static Column at(String name, ValueKind kind, String... path) {
    return new Column(
        name,
        row -> {
          JsonNode node = row;
          for (String field : path) {
            node = node.path(field);
          }
          return node;
        },
        kind);
  }

  /** A column with the same value in every row. */
  public static Column constant(String name, String value) {
    JsonNode node = JsonNodeFactory.instance.textNode(value);
    return new Column(name, row -> node, ValueKind.PLAIN);
  }

  /** A column rabbitmqctl knows and the API has no value for: always empty. */
  public static Column empty(String name) {
    return new Column(name, row -> null, ValueKind.PLAIN);
  }

  public String text(JsonNode row) {
    return kind.cellText(value.apply(row));
  }

  public void writeJson(JsonNode row, JsonGenerator g) throws IOException {
    kind.writeCell(value.apply(row), g);
  }
}
