package dev.warren.ctl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The columns a list command knows, in rabbitmqctl's order, and those it shows when none are named.
 * Columns are named as rabbitmqctl takes them: separate words or comma-separated, a repeat shown
 * once; an unknown name is an argument error (64) before anything is sent.
 */
public final class InfoKeys {
  private final Map<String, Column> columns = new LinkedHashMap<>();
  private final List<String> defaults;
  private final boolean fixedOrder;

  /**
   * @param fixedOrder columns print in the order known here whatever order they were asked in
   *     (rabbitmqctl's list_consumers does this)
   */
  public InfoKeys(List<Column> columns, List<String> defaults, boolean fixedOrder) {
    columns.forEach(c -> this.columns.put(c.name(), c));
    this.defaults = List.copyOf(defaults);
    this.fixedOrder = fixedOrder;
  }

  public InfoKeys(List<Column> columns, List<String> defaults) {
    this(columns, defaults, false);
  }

  /** The columns asked for, or the defaults when none are. */
  public List<Column> select(List<String> requested) {
    Set<String> names = new LinkedHashSet<>();
    for (String word : requested) {
      for (String name : word.split(",")) {
        if (!name.isBlank()) {
          names.add(name.trim());
        }
      }
    }
    if (names.isEmpty()) {
      names.addAll(defaults);
    }
    List<String> unknown = new ArrayList<>();
    for (String name : names) {
      if (!columns.containsKey(name)) {
        unknown.add(name);
      }
    }
    if (!unknown.isEmpty()) {
      throw new UsageException("Info key(s) " + String.join(",", unknown) + " are not supported");
    }
    List<Column> selected = new ArrayList<>();
    if (fixedOrder) {
      columns.forEach(
          (name, column) -> {
            if (names.contains(name)) {
              selected.add(column);
            }
          });
    } else {
      names.forEach(name -> selected.add(columns.get(name)));
    }
    return selected;
  }

  /** Every column name, sorted, as rabbitmqctl's help lists them. */
  public List<String> names() {
    List<String> names = new ArrayList<>(columns.keySet());
    names.sort(null);
    return names;
  }
}
