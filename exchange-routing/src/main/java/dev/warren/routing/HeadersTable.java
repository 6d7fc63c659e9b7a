package dev.warren.routing;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Headers exchange: a copy-on-write array of bindings, each with its condition compiled once at
 * bind time. Routing tests every binding; nothing narrower is possible in general.
 */
final class HeadersTable implements BindingTable {

  private record Entry(Binding binding, HeadersMatch match) {}

  private static final Entry[] NONE = {};

  private volatile Entry[] entries = NONE;

  @Override
  public void add(Binding b) {
    Entry[] old = entries;
    Entry[] now = Arrays.copyOf(old, old.length + 1);
    now[old.length] = new Entry(b, HeadersMatch.compile(b.arguments()));
    entries = now;
  }

  @Override
  public void remove(Binding b) {
    Entry[] old = entries;
    for (int i = 0; i < old.length; i++) {
      if (old[i].binding().equals(b)) {
        Entry[] now = new Entry[old.length - 1];
        System.arraycopy(old, 0, now, 0, i);
        System.arraycopy(old, i + 1, now, i, old.length - i - 1);
        entries = now;
        return;
      }
    }
  }

  @Override
  public void route(
      String routingKey,
      Map<String, Object> headers,
      HashProperties properties,
      Consumer<Destination> out) {
    for (Entry e : entries) {
      if (e.match().matches(headers)) {
        out.accept(e.binding().destination());
      }
    }
  }
}
