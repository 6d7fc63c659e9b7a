package dev.warren.amqp;

import io.netty.buffer.ByteBuf;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Field tables and field values (spec 4.2.5.5) with RabbitMQ's type letters. Stateless; any thread.
 * Never takes ownership of the buffers it is given.
 *
 * <pre>
 * table: +-------------+-----------------------------------------------+
 *        | size (long) | size octets of: name (shortstr), value ...   |
 *        +-------------+-----------------------------------------------+
 * value: +------+-------------------------------------------------------+
 *        | type | t:octet b:int8 B:uint8 s:int16 u:uint16 I:int32       |
 *        | (one | i:uint32 l:int64 f:float d:double T:uint64 seconds   |
 *        | ASCII| D: scale octet + int32 unscaled value                 |
 *        | char)| S,x: long length + bytes   A: long size + values      |
 *        |      | F: table   V: nothing                                 |
 *        +------+-------------------------------------------------------+
 * </pre>
 *
 * <p>Java types: t {@code Boolean}, b {@code Byte}, B {@code Short}, s {@code Short}, u {@code
 * Integer}, I {@code Integer}, i {@code Long}, l {@code Long}, f {@code Float}, d {@code Double}, D
 * {@code BigDecimal}, S {@link LongString}, x {@code byte[]}, A {@code List<Object>}, T {@link
 * Date}, F {@code Map<String,Object>} (insertion order), V {@code null}. The encoder writes Boolean
 * t, Byte b, Short s, Integer I, Long l, Float f, Double d, BigDecimal D, String and LongString S,
 * byte[] x, List A, Date T, Map F, null V: the choices RabbitMQ's Java client makes.
 */
public final class FieldTable {
  /** Deeper nesting is refused so that a hostile peer cannot overflow the event loop's stack. */
  public static final int MAX_DEPTH = 128;

  private FieldTable() {}

  /**
   * Reads a field table. The map is unmodifiable and keeps the wire order; a repeated name keeps
   * its last value.
   *
   * @throws ConnectionException {@link ReplyCode#SYNTAX_ERROR} if the table is truncated, has an
   *     unknown type letter or nests deeper than {@link #MAX_DEPTH}
   */
  public static Map<String, Object> decode(ByteBuf in) {
    try {
      return readTable(in, 0);
    } catch (IndexOutOfBoundsException e) {
      throw malformed("truncated field table: " + e.getMessage());
    }
  }

  /**
   * Writes {@code table} ({@code null} is written as an empty table).
   *
   * @throws IllegalArgumentException if a value has a Java type with no field type, a name is
   *     longer than 255 bytes or a {@code BigDecimal} does not fit a decimal field
   */
  public static void encode(Map<String, ?> table, ByteBuf out) {
    if (table == null) {
      out.writeInt(0);
      return;
    }
    writeEntries(table, out);
  }

  private static Map<String, Object> readTable(ByteBuf in, int depth) {
    if (depth > MAX_DEPTH) {
      throw malformed("field table nested deeper than " + MAX_DEPTH);
    }
    ByteBuf entries = readSized(in, "field table");
    Map<String, Object> table = new LinkedHashMap<>();
    while (entries.isReadable()) {
      String name = Wire.readShortstrLenient(entries);
      table.put(name, readValue(entries, depth));
    }
    return Collections.unmodifiableMap(table);
  }

  private static List<Object> readArray(ByteBuf in, int depth) {
    if (depth > MAX_DEPTH) {
      throw malformed("field array nested deeper than " + MAX_DEPTH);
    }
    ByteBuf values = readSized(in, "field array");
    List<Object> array = new ArrayList<>();
    while (values.isReadable()) {
      array.add(readValue(values, depth));
    }
    return Collections.unmodifiableList(array);
  }

  private static ByteBuf readSized(ByteBuf in, String what) {
    long size = in.readUnsignedInt();
    if (size > in.readableBytes()) {
      // RabbitMQ treats a length running past the end of the frame as a framing error.
      throw new ConnectionException(
          ReplyCode.FRAME_ERROR,
          what + " of " + size + " bytes exceeds the " + in.readableBytes() + " bytes left");
    }
    return in.readSlice((int) size);
  }

  private static Object readValue(ByteBuf in, int depth) {
    byte type = in.readByte();
    return switch (type) {
      case 't' -> in.readBoolean();
      case 'b' -> in.readByte();
      case 'B' -> in.readUnsignedByte();
      case 's' -> in.readShort();
      case 'u' -> in.readUnsignedShort();
      case 'I' -> in.readInt();
      case 'i' -> in.readUnsignedInt();
      case 'l' -> in.readLong();
        // RabbitMQ reads 'L' (an unsigned 64-bit integer, which py-amqp writes for integers past 32
        // bits) and passes it on; a Java long holds its bits (values past 2^63 read negative).
      case 'L' -> in.readLong();
      case 'f' -> in.readFloat();
      case 'd' -> in.readDouble();
      case 'D' -> readDecimal(in);
      case 'S' -> Wire.readLongstr(in);
      case 'x' -> Wire.readLongBytes(in);
      case 'A' -> readArray(in, depth + 1);
      case 'T' -> new Date(in.readLong() * 1000L);
      case 'F' -> readTable(in, depth + 1);
      case 'V' -> null;
      default ->
          throw malformed(
              String.format("unknown field type 0x%02x ('%c')", type & 0xff, (char) (type & 0xff)));
    };
  }

  private static BigDecimal readDecimal(ByteBuf in) {
    int scale = in.readUnsignedByte();
    int unscaled = in.readInt();
    return BigDecimal.valueOf(unscaled, scale);
  }

  private static void writeEntries(Map<?, ?> table, ByteBuf out) {
    int sizeIndex = out.writerIndex();
    out.writeInt(0);
    for (Map.Entry<?, ?> entry : table.entrySet()) {
      if (!(entry.getKey() instanceof String name)) {
        throw new IllegalArgumentException("field table name is not a String: " + entry.getKey());
      }
      Wire.writeShortstr(out, name);
      writeValue(entry.getValue(), out);
    }
    out.setInt(sizeIndex, out.writerIndex() - sizeIndex - 4);
  }

  private static void writeValue(Object value, ByteBuf out) {
    if (value == null) {
      out.writeByte('V');
    } else if (value instanceof String s) {
      out.writeByte('S');
      Wire.writeLongstr(out, s);
    } else if (value instanceof LongString s) {
      out.writeByte('S');
      Wire.writeLongstr(out, s);
    } else if (value instanceof Boolean b) {
      out.writeByte('t').writeBoolean(b);
    } else if (value instanceof Byte b) {
      out.writeByte('b').writeByte(b);
    } else if (value instanceof Short s) {
      out.writeByte('s').writeShort(s);
    } else if (value instanceof Integer i) {
      out.writeByte('I').writeInt(i);
    } else if (value instanceof Long l) {
      out.writeByte('l').writeLong(l);
    } else if (value instanceof Float f) {
      out.writeByte('f').writeFloat(f);
    } else if (value instanceof Double d) {
      out.writeByte('d').writeDouble(d);
    } else if (value instanceof BigDecimal d) {
      writeDecimal(d, out);
    } else if (value instanceof Date d) {
      out.writeByte('T').writeLong(d.getTime() / 1000L);
    } else if (value instanceof byte[] bytes) {
      out.writeByte('x').writeInt(bytes.length).writeBytes(bytes);
    } else if (value instanceof List<?> list) {
      out.writeByte('A');
      int sizeIndex = out.writerIndex();
      out.writeInt(0);
      for (Object element : list) {
        writeValue(element, out);
      }
      out.setInt(sizeIndex, out.writerIndex() - sizeIndex - 4);
    } else if (value instanceof Map<?, ?> map) {
      out.writeByte('F');
      writeEntries(map, out);
    } else {
      throw new IllegalArgumentException(
          "no field type for " + value.getClass().getName() + ": " + value);
    }
  }

  private static void writeDecimal(BigDecimal decimal, ByteBuf out) {
    BigInteger unscaled = decimal.unscaledValue();
    if (decimal.scale() < 0 || decimal.scale() > 255 || unscaled.bitLength() > 31) {
      throw new IllegalArgumentException("decimal does not fit scale octet + int32: " + decimal);
    }
    out.writeByte('D').writeByte(decimal.scale()).writeInt(unscaled.intValue());
  }

  private static ConnectionException malformed(String text) {
    return new ConnectionException(ReplyCode.SYNTAX_ERROR, text);
  }
}
