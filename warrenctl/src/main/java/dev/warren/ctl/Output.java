package dev.warren.ctl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * What a command prints, laid out as rabbitmqctl 3.10 lays it out. In the table format: an
 * informational banner ("Listing queues for vhost / ..."; not with -q or -s), a header row (not
 * with -s or --no-table-headers), rows of tab-separated cells. In the JSON format: no banner, a
 * list of objects one per line ("[", "{...}", ",{...}", "]"), and for commands that change
 * something an object such as {"node":"rabbit@host","result":"ok"}.
 *
 * <p>Two kinds of lists behave differently when empty, as in rabbitmqctl: streamed lists (queues,
 * exchanges, bindings, connections, channels, consumers, users, vhosts) print nothing at all (JSON:
 * "[" and "]" on two lines), others (permissions, policies) print one empty line (JSON: "[]").
 */
public final class Output {
  /** The result formatters: rabbitmqctl's default table, and --formatter json. */
  public enum Format {
    TABLE,
    JSON
  }

  private static final JsonFactory JSON = new JsonFactory();

  private final PrintWriter out;
  private final Format format;
  private final boolean quiet;
  private final boolean silent;
  private final Supplier<String> node;

  /**
   * @param node the node's name for JSON results, asked only when one is printed
   */
  public Output(
      PrintWriter out, Format format, boolean quiet, boolean silent, Supplier<String> node) {
    this.out = out;
    this.format = format;
    this.quiet = quiet;
    this.silent = silent;
    this.node = node;
  }

  public boolean json() {
    return format == Format.JSON;
  }

  /** The informational line a command starts with; not with -q, -s or the JSON format. */
  public void banner(String line) {
    if (!quiet && !silent && !json()) {
      out.println(line);
    }
  }

  /** A message printed in the table format unless -q or -s says not to. */
  public void info(String line) {
    banner(line);
  }

  /** A message printed in the table format whatever -q says (e.g. "Trace enabled ..."). */
  public void line(String text) {
    if (!json()) {
      out.println(text);
    }
  }

  /** Raw text on stdout, whatever the format (exported definitions). */
  public void raw(String text) {
    out.print(text);
  }

  /** The JSON format's answer of a command that changed something: {"node":N,"result":"ok"}. */
  public void ok() {
    okWith(Map.of());
  }

  /** {"node":N,"result":"ok","value":text} in JSON; the text alone (even with -q) in a table. */
  public void okValue(String text) {
    if (json()) {
      okWith(Map.of("value", text));
    } else {
      out.println(text);
    }
  }

  /** The JSON answer {"node":N,"result":"ok"} with more fields, keys sorted as rabbitmqctl does. */
  public void okWith(Map<String, String> fields) {
    if (!json()) {
      return;
    }
    Map<String, String> answer = new TreeMap<>(fields);
    answer.put("node", node.get());
    answer.put("result", "ok");
    jsonLine(answer);
  }

  /** One JSON object of strings on a line of its own, keys sorted (JSON format only). */
  public void jsonLine(Map<String, String> fields) {
    if (json()) {
      out.println(jsonObject(new TreeMap<>(fields)));
    }
  }

  /**
   * One JSON object of strings without a final newline, keys sorted (JSON format only): how
   * rabbitmqctl's export_definitions and import_definitions end their JSON answer.
   */
  public void jsonUnterminated(Map<String, String> fields) {
    if (json()) {
      out.print(jsonObject(new TreeMap<>(fields)));
    }
  }

  /**
   * A list of rows.
   *
   * @param headers print the header row (false with --no-table-headers)
   * @param streamed rabbitmqctl streams this list (see the class comment)
   */
  public void table(
      List<Column> columns, List<? extends JsonNode> rows, boolean headers, boolean streamed) {
    if (json()) {
      jsonTable(columns, rows, streamed);
      return;
    }
    if (rows.isEmpty()) {
      if (!streamed) {
        out.println();
      }
      return;
    }
    if (headers && !silent) {
      List<String> names = new ArrayList<>();
      columns.forEach(c -> names.add(c.name()));
      out.println(String.join("\t", names));
    }
    for (JsonNode row : rows) {
      List<String> cells = new ArrayList<>();
      columns.forEach(c -> cells.add(c.text(row)));
      out.println(String.join("\t", cells));
    }
  }

  private void jsonTable(List<Column> columns, List<? extends JsonNode> rows, boolean streamed) {
    if (rows.isEmpty() && !streamed) {
      out.println("[]");
      return;
    }
    out.println("[");
    String separator = "";
    for (JsonNode row : rows) {
      StringWriter line = new StringWriter();
      try (JsonGenerator g = JSON.createGenerator(line)) {
        g.writeStartObject();
        for (Column column : columns) {
          g.writeFieldName(column.name());
          column.writeJson(row, g);
        }
        g.writeEndObject();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      out.println(separator + line);
      separator = ",";
    }
    out.println("]");
  }

  private static String jsonObject(Map<String, String> fields) {
    StringWriter text = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(text)) {
      g.writeStartObject();
      for (Map.Entry<String, String> field : fields.entrySet()) {
        g.writeStringField(field.getKey(), field.getValue());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }
}
