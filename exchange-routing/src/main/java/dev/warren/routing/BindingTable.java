package dev.warren.routing;

import java.util.Map;
import java.util.function.Consumer;

/**
 * The routing structure of one exchange type. {@link #route} runs on any thread at any time,
 * without locks; {@link #add} and {@link #remove} are called only by the owning {@link Exchange}
 * while it holds its writer lock, so they never run concurrently with each other. A reader sees a
 * binding change either whole or not at all: writers build new arrays and nodes off to the side and
 * publish them with one volatile write.
 */
interface BindingTable {

  /** Adds a binding that is not yet in the table. */
  void add(Binding b);

  /** Removes a binding that is in the table. */
  void remove(Binding b);

  /**
   * Reports to {@code out} the destination of every binding that matches. A destination bound
   * several times may be reported several times. {@code headers} and {@code properties} may be null
   * (none, or not needed by this exchange).
   */
  void route(
      String routingKey,
      Map<String, Object> headers,
      HashProperties properties,
      Consumer<Destination> out);
}
