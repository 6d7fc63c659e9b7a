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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Function;
import java.util.function.Predicate;

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

  /** An item with its sort key and its place in the list (which orders equal keys). */
  private record Row<T>(T item, Object[] key, ObjectNode json, int index) {}

  /** The request's list parameters, with this list's default sort keys. */
  ListQuery query(ApiRequest req) {
    return ListQuery.parse(req, defaultSort);
  }

  JsonNode reply(ApiRequest req, Collection<T> items, Function<T, ObjectNode> render) {
    return reply(query(req), items, render);
  }

  /**
   * Whether the query asks for a page of the list sorted by exactly {@code keys} (ascending or
   * reversed), with no name filter and those keys among the columns: such a page can be read off
   * sources already in that order, with {@link #page}.
   */
  boolean pageInOrder(ListQuery q, List<String> keys) {
    return paginates
        && q.paged()
        && q.nameFilter() == null
        && q.sort().equals(keys)
        && keys.stream().allMatch(k -> visible(k, q.columns()));
  }

  /**
   * The reply for a page that {@link #pageInOrder} accepted: {@code ordered} yields the {@code
   * total} items in the query's order (reversed already when it asks so); only the page is read.
   */
  JsonNode page(ListQuery q, Iterator<T> ordered, int total, Function<T, ObjectNode> render) {
    long offset = (long) (q.page() - 1) * q.pageSize();
    pageMustExist(q, offset, total);
    for (long skipped = 0; skipped < offset && ordered.hasNext(); skipped++) {
      ordered.next();
    }
    ArrayNode out = Json.array();
    while (out.size() < q.pageSize() && ordered.hasNext()) {
      out.add(select(render.apply(ordered.next()), q.columns()));
    }
    return pageReply(q, out, total, total);
  }

  JsonNode reply(ListQuery q, Collection<T> items, Function<T, ObjectNode> render) {
    boolean paged = paginates && q.paged();
    boolean fast = keys.keySet().containsAll(q.sort());
    // RabbitMQ sorts stably, then reverses the whole list for sort_reverse: equal keys keep their
    // order, reversed along with the rest. The index as the last key gives that total order.
    Comparator<Row<T>> ascending =
        (a, b) -> {
          int c = compareKeys(a.key(), b.key());
          return c != 0 ? c : Integer.compare(a.index(), b.index());
        };
    Comparator<Row<T>> order = q.reverse() ? ascending.reversed() : ascending;
    int total = items.size();
    // The name filter does not depend on the order: applied first, the rest is not keyed.
    Predicate<T> kept =
        paged && q.nameFilter() != null ? t -> q.nameFilter().test(name.apply(t)) : t -> true;
    long offset = paged ? (long) (q.page() - 1) * q.pageSize() : 0;
    // A page near the top needs only the first offset + pageSize rows in order: a bounded heap
    // keeps them (n log k comparisons, most items rejected by one) instead of sorting all n.
    long wanted = paged ? offset + q.pageSize() : Long.MAX_VALUE;
    boolean select = wanted < total / 4;
    PriorityQueue<Row<T>> top = select ? new PriorityQueue<>(order.reversed()) : null;
    List<Row<T>> rows = select ? null : new ArrayList<>(total);
    int filtered = 0;
    for (T item : items) {
      if (!kept.test(item)) {
        continue;
      }
      ObjectNode json = fast ? null : render.apply(item);
      Row<T> row = new Row<>(item, key(q, item, json, fast), json, filtered++);
      if (!select) {
        rows.add(row);
      } else if (top.size() < wanted) {
        top.add(row);
      } else if (order.compare(row, top.peek()) < 0) {
        top.poll();
        top.add(row);
      }
    }
    if (select) {
      rows = new ArrayList<>(top);
    }
    rows.sort(order);
    List<Row<T>> chosen = rows;
    if (paged) {
      pageMustExist(q, offset, filtered);
      chosen = rows.subList((int) Math.min(offset, rows.size()), rows.size());
      chosen = chosen.subList(0, Math.min(chosen.size(), q.pageSize()));
    }
    ArrayNode out = Json.array();
    for (Row<T> r : chosen) {
      out.add(select(r.json() != null ? r.json() : render.apply(r.item()), q.columns()));
    }
    return paged ? pageReply(q, out, filtered, total) : out;
  }

  private static void pageMustExist(ListQuery q, long offset, int filtered) {
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
  }

  /** RabbitMQ's page object around the items answered. */
  private static JsonNode pageReply(ListQuery q, ArrayNode out, int filtered, int total) {
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

  /** The item's sort values, from the record ({@code fast}) or from its JSON. */
  private Object[] key(ListQuery q, T item, ObjectNode json, boolean fast) {
    Object[] key = new Object[q.sort().size()];
    for (int i = 0; i < key.length; i++) {
      String k = q.sort().get(i);
      if (!visible(k, q.columns())) {
        key[i] = 0L;
      } else {
        key[i] = fast ? keys.get(k).apply(item) : ErlangOrder.of(dotted(json, k));
      }
    }
    return key;
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
