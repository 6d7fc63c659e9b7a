package dev.warren.broker.metadata;

import dev.warren.amqp.FieldTable;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stored form of AMQP arguments (of exchanges, queues and bindings): an AMQP field table (spec
 * 4.2.5.5, {@link FieldTable}) whose keys, in nested tables too, are written in {@link
 * String#compareTo} order, so that equal tables give equal bytes whatever order the client sent
 * them in. The store identifies a binding by these bytes. An empty table is {@code 00 00 00 00}.
 *
 * <p>Decoding gives the same Java values the codec gives for the client's table (the encoder writes
 * each Java type back with a type letter that decodes to that type), so a restored definition
 * compares equal to a redeclaration. Stateless; any thread.
 */
public final class StoredArguments {
  private StoredArguments() {}

  public static byte[] encode(Map<String, Object> arguments) {
    ByteBuf out = Unpooled.buffer();
    try {
      FieldTable.encode(sorted(arguments == null ? Map.of() : arguments), out);
      return ByteBufUtil.getBytes(out);
    } finally {
      out.release();
    }
  }

  public static Map<String, Object> decode(byte[] stored) {
    return FieldTable.decode(Unpooled.wrappedBuffer(stored));
  }

  private static Map<String, Object> sorted(Map<?, ?> table) {
    Map<String, Object> sorted = new TreeMap<>();
    for (Map.Entry<?, ?> e : table.entrySet()) {
      sorted.put((String) e.getKey(), sortedValue(e.getValue()));
    }
    return sorted;
  }

  private static Object sortedValue(Object value) {
    if (value instanceof Map<?, ?> table) {
      return sorted(table);
    }
    if (value instanceof List<?> array) {
      List<Object> values = new ArrayList<>(array.size());
      for (Object v : array) {
        values.add(sortedValue(v));
      }
      return values;
    }
    return value;
  }
}
