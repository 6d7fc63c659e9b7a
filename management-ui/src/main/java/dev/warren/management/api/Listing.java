package dev.warren.management.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warren.management.http.ApiError;
import dev.warren.management.http.ApiRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Sorts, filters, pages and trims a list as RabbitMQ's API does, cheaply: sort keys are read from
 * the snapshot records (no JSON) when the kind knows them, and only the page that is answered is
 * turned into JSON. A sort on a field the kind does not know renders every item first, as RabbitMQ
 * does for such a sort.
 *
 * @param <T> the snapshot record listed
 */
final class Listing<T> {
  private final List<String> defaultSort;
  private final Function<T, String> name;
  private final Map<String, Function<T, Object>> keys;
  private final boolean paginates;

  /**
   * @param defaultSort the keys RabbitMQ sorts this list by after the requested one
   * @param name what the {@code name} filter matches
   * @param keys sort values by JSON field path, read from the record
   * @param paginates whether {@code page} applies (RabbitMQ 3.10 pages queues, exchanges, vhosts,
   *     connections and channels; other lists ignore it)
   */
  Listing(
      List<String> defaultSort,
      Function<T, String> name,
      Map<String, Function<T, Object>> keys,
      boolean paginates) {
    this.defaultSort = List.copyOf(defaultSort);
    this.name = name;
    this.keys = Map.copyOf(keys);
    this.paginates = paginates;
  }

  private record Row<T>(T item, Object[] key, ObjectNode json) {}

  JsonNode reply(ApiRequest req, Collection<T> items, Function<T, ObjectNode> render) {
    ListQuery q = ListQuery.parse(req, defaultSort);
    boolean paged = paginates && q.paged();
    boolean fast = keys.keySet().containsAll(q.sort());
    List<Row<T>> rows = new ArrayList<>(items.size());
    for (T item : items) {
      Object[] key = new Object[q.sort().size()];
      ObjectNode json = fast ? null : render.apply(item);
      for (int i = 0; i < key.length; i++) {
        String k = q.sort().get(i);
        if (!visible(k, q.columns())) {
          key[i] = 0L;
        } else {
          key[i] = fast ? keys.get(k).apply(item) : ErlangOrder.of(dotted(json, k));
        }
      }
      rows.add(new Row<>(item, key, json));
    }
    Comparator<Row<T>> order = (a, b) -> compareKeys(a.key(), b.key());
    rows.sort(order);
    if (q.reverse()) {
      java.util.Collections.reverse(rows);
    }
    int total = rows.size();
    List<Row<T>> chosen = rows;
    int filtered = total;
    if (paged) {
      if (q.nameFilter() != null) {
        chosen = new ArrayList<>();
        for (Row<T> r : rows) {
          if (q.nameFilter().test(name.apply(r.item()))) {
            chosen.add(r);
          }
        }
        filtered = chosen.size();
      }
      long offset = (long) (q.page() - 1) * q.pageSize();
      if (offset > filtered) {
        throw new ApiError(
            400,
            "page_out_of_range",
            "Page out of range, page: "
                + q.page()
                + " page size: "
                + q.pageSize()
                + ", len: "
                + filtered);
      }
      chosen = chosen.subList((int) offset, (int) Math.min(filtered, offset + q.pageSize()));
    }
    ArrayNode out = Json.array();
    for (Row<T> r : chosen) {
      out.add(select(r.json() != null ? r.json() : render.apply(r.item()), q.columns()));
    }
    if (!paged) {
      return out;
    }
    ObjectNode page = Json.object();
    page.put("filtered_count", filtered);
    page.put("item_count", out.size());
    page.set("items", out);
    page.put("page", q.page());
    page.put("page_count", (filtered + q.pageSize() - 1) / q.pageSize());
    page.put("page_size", q.pageSize());
    page.put("total_count", total);
    return page;
  }

  /** RabbitMQ trims columns before sorting: a sort key outside the columns is missing (0). */
  private static boolean visible(String key, List<String[]> columns) {
    if (columns == null) {
      return true;
    }
    String[] parts = key.split("\\.");
    for (String[] c : columns) {
      if (c.length <= parts.length && Arrays.equals(c, 0, c.length, parts, 0, c.length)) {
        return true;
      }
    }
    return false;
  }

  private static int compareKeys(Object[] a, Object[] b) {
    for (int i = 0; i < a.length; i++) {
      int c = ErlangOrder.INSTANCE.compare(a[i], b[i]);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /** The value at a dotted path ({@code message_stats.publish_details.rate}), or null. */
  static JsonNode dotted(JsonNode n, String path) {
    JsonNode cur = n;
    for (String part : path.split("\\.")) {
      if (cur == null || !cur.isObject()) {
        return null;
      }
      cur = cur.get(part);
    }
    return cur;
  }

  /** Keeps only the requested columns, descending into objects and arrays as RabbitMQ does. */
  static JsonNode select(JsonNode n, List<String[]> columns) {
    if (columns == null) {
      return n;
    }
    if (n.isArray()) {
      ArrayNode a = Json.array();
      n.forEach(x -> a.add(select(x, columns)));
      return a;
    }
    if (!n.isObject()) {
      return n;
    }
    ObjectNode out = Json.object();
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      List<String[]> sub = new ArrayList<>();
      boolean whole = false;
      for (String[] c : columns) {
        if (c[0].equals(e.getKey())) {
          if (c.length == 1) {
            whole = true;
          } else {
            sub.add(Arrays.copyOfRange(c, 1, c.length));
          }
        }
      }
      if (whole) {
        out.set(e.getKey(), e.getValue());
      } else if (!sub.isEmpty()) {
        out.set(e.getKey(), select(e.getValue(), sub));
      }
    }
    return out;
  }
}
