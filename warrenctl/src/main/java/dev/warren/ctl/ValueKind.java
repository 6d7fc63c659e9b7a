package dev.warren.ctl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a value from the management API is shown in a column: the text rabbitmqctl's table formatter
 * prints for it, and what its JSON formatter writes. The API hands over JSON; rabbitmqctl formats
 * Erlang terms, so each kind names the term the JSON stands for. A missing or null value is an
 * empty cell in both, as rabbitmqctl shows {@code undefined} and {@code ''}.
 */
public enum ValueKind {
  /** Strings, numbers, booleans; lists of strings as {@code [a, b]}. */
  PLAIN {
    @Override
    String text(JsonNode v) {
      if (v.isArray()) {
        List<String> items = new ArrayList<>();
        boolean numbers = true;
        for (JsonNode item : v) {
          items.add(text(item));
          numbers &= item.isNumber();
        }
        return "[" + String.join(numbers ? "," : ", ", items) + "]";
      }
      if (v.isObject()) {
        List<String> entries = new ArrayList<>();
        v.properties().forEach(e -> entries.add(e.getKey() + " => " + text(e.getValue())));
        return "#{" + String.join(", ", entries) + "}";
      }
      return v.isTextual() ? v.textValue() : ErlangTerms.scalar(v);
    }

    @Override
    void writeJson(JsonNode v, JsonGenerator g) throws IOException {
      writePlain(v, g);
    }
  },

  /** An AMQP field table (arguments, client properties): Erlang's list of {name,value}. */
  AMQP_TABLE {
    @Override
    String text(JsonNode v) {
      return v.isObject() ? ErlangTerms.table(v) : PLAIN.text(v);
    }

    @Override
    void writeJson(JsonNode v, JsonGenerator g) throws IOException {
      if (!v.isObject()) {
        PLAIN.writeJson(v, g);
        return;
      }
      writeTable(v, g);
    }
  },

  /** A map of node name to state (a virtual host's cluster_state): [{'node', running}]. */
  NODE_STATES {
    @Override
    String text(JsonNode v) {
      List<String> entries = new ArrayList<>();
      v.properties()
          .forEach(
              e ->
                  entries.add(
                      "{" + ErlangTerms.atom(e.getKey()) + ", " + text(e.getValue()) + "}"));
      return v.isObject() ? "[" + String.join(", ", entries) + "]" : PLAIN.text(v);
    }

    @Override
    void writeJson(JsonNode v, JsonGenerator g) throws IOException {
      writePlain(v, g);
    }
  },

  /** An IP address: text as it is; in JSON the tuple of its parts, as rabbitmqctl writes it. */
  IP_ADDRESS {
    @Override
    String text(JsonNode v) {
      return PLAIN.text(v);
    }

    @Override
    void writeJson(JsonNode v, JsonGenerator g) throws IOException {
      List<Integer> parts = v.isTextual() ? addressParts(v.textValue()) : null;
      if (parts == null) {
        PLAIN.writeJson(v, g);
        return;
      }
      g.writeStartArray();
      for (int part : parts) {
        g.writeNumber(part);
      }
      g.writeEndArray();
    }
  },

  /** The protocol of a connection: the API's "AMQP 0-9-1" is rabbitmqctl's {0,9,1}. */
  PROTOCOL {
    @Override
    String text(JsonNode v) {
      List<Integer> version = protocolVersion(v);
      if (version == null) {
        return PLAIN.text(v);
      }
      return "{" + version.get(0) + "," + version.get(1) + "," + version.get(2) + "}";
    }

    @Override
    void writeJson(JsonNode v, JsonGenerator g) throws IOException {
      List<Integer> version = protocolVersion(v);
      if (version == null) {
        PLAIN.writeJson(v, g);
        return;
      }
      g.writeStartArray();
      for (int part : version) {
        g.writeNumber(part);
      }
      g.writeEndArray();
    }
  },

  /** A JSON document kept as text (a policy's definition): compact, keys sorted. */
  JSON_TEXT {
    @Override
    String text(JsonNode v) {
      StringWriter text = new StringWriter();
      try (JsonGenerator g = JSON.createGenerator(text)) {
        writeSorted(v, g);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return text.toString();
    }

    @Override
    void writeJson(JsonNode v, JsonGenerator g) throws IOException {
      g.writeString(text(v));
    }
  };

  private static final JsonFactory JSON = new JsonFactory();

  private static final Pattern AMQP_VERSION = Pattern.compile("AMQP (\\d+)-(\\d+)-(\\d+)");

  /** The cell's text in a table; {@code v} is neither null nor missing. */
  abstract String text(JsonNode v);

  /** The cell's value in the JSON formatter's output; {@code v} is neither null nor missing. */
  abstract void writeJson(JsonNode v, JsonGenerator g) throws IOException;

  /** The cell's text in a table: empty for a missing or null value. */
  public String cellText(JsonNode v) {
    return absent(v) ? "" : text(v);
  }

  /** Writes the cell's JSON value: "" for a missing or null value. */
  public void writeCell(JsonNode v, JsonGenerator g) throws IOException {
    if (absent(v)) {
      g.writeString("");
    } else {
      writeJson(v, g);
    }
  }

  private static boolean absent(JsonNode v) {
    return v == null || v.isNull() || v.isMissingNode();
  }

  private static void writeSorted(JsonNode v, JsonGenerator g) throws IOException {
    if (v.isObject()) {
      g.writeStartObject();
      TreeSet<String> names = new TreeSet<>();
      v.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        g.writeFieldName(name);
        writeSorted(v.get(name), g);
      }
      g.writeEndObject();
    } else if (v.isArray()) {
      g.writeStartArray();
      for (JsonNode item : v) {
        writeSorted(item, g);
      }
      g.writeEndArray();
    } else {
      writePlain(v, g);
    }
  }

  private static void writePlain(JsonNode v, JsonGenerator g) throws IOException {
    if (v.isNumber() && !v.isIntegralNumber()) {
      g.writeNumber(ErlangTerms.floatText(v.doubleValue()));
    } else if (v.isArray()) {
      g.writeStartArray();
      for (JsonNode item : v) {
        writePlain(item, g);
      }
      g.writeEndArray();
    } else if (v.isObject()) {
      g.writeStartObject();
      Iterator<Map.Entry<String, JsonNode>> fields = v.properties().iterator();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        g.writeFieldName(field.getKey());
        writePlain(field.getValue(), g);
      }
      g.writeEndObject();
    } else if (v.isTextual()) {
      g.writeString(v.textValue());
    } else if (v.isBoolean()) {
      g.writeBoolean(v.booleanValue());
    } else if (v.isIntegralNumber()) {
      g.writeNumber(v.bigIntegerValue());
    } else {
      g.writeNull();
    }
  }

  /**
   * An AMQP table as rabbitmqctl's JSON formatter writes it: a list of [name, type, value], the
   * type guessed from the JSON (the API does not carry it: every integer is a "long").
   */
  private static void writeTable(JsonNode table, JsonGenerator g) throws IOException {
    g.writeStartArray();
    Iterator<Map.Entry<String, JsonNode>> fields = table.properties().iterator();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      g.writeStartArray();
      g.writeString(field.getKey());
      g.writeString(amqpType(field.getValue()));
      writeFieldValue(field.getValue(), g);
      g.writeEndArray();
    }
    g.writeEndArray();
  }

  /** An array's items are written as an object of type to value, names repeating as they do. */
  private static void writeFieldValue(JsonNode v, JsonGenerator g) throws IOException {
    if (v.isObject()) {
      writeTable(v, g);
    } else if (v.isArray()) {
      g.writeStartObject();
      for (JsonNode item : v) {
        g.writeFieldName(amqpType(item));
        writeFieldValue(item, g);
      }
      g.writeEndObject();
    } else if (v.isNull()) {
      g.writeString("undefined");
    } else {
      writePlain(v, g);
    }
  }

  private static String amqpType(JsonNode v) {
    if (v.isObject()) {
      return "table";
    } else if (v.isArray()) {
      return "array";
    } else if (v.isBoolean()) {
      return "bool";
    } else if (v.isIntegralNumber()) {
      return "long";
    } else if (v.isNumber()) {
      return "double";
    } else if (v.isNull()) {
      return "void";
    }
    return "longstr";
  }

  private static List<Integer> protocolVersion(JsonNode v) {
    Matcher m = v.isTextual() ? AMQP_VERSION.matcher(v.textValue()) : null;
    if (m == null || !m.matches()) {
      return null;
    }
    return List.of(
        Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
  }

  /** The parts of a literal IPv4 (4 bytes) or IPv6 (8 groups) address; null for anything else. */
  static List<Integer> addressParts(String address) {
    if (address.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      List<Integer> parts = new ArrayList<>();
      for (String p : address.split("\\.")) {
        parts.add(Integer.parseInt(p));
      }
      return parts;
    }
    if (address.contains(":") && address.matches("[0-9a-fA-F:]+")) {
      try {
        byte[] bytes = java.net.InetAddress.getByName(address).getAddress();
        if (bytes.length != 16) {
          return null;
        }
        List<Integer> parts = new ArrayList<>();
        for (int i = 0; i < 16; i += 2) {
          parts.add(((bytes[i] & 0xFF) << 8) | (bytes[i + 1] & 0xFF));
        }
        return parts;
      } catch (java.net.UnknownHostException e) {
        return null;
      }
    }
    return null;
  }
}
