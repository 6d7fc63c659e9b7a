package dev.warren.persistence.definitions;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The binary form of a {@link DefinitionCommand}: what the replicated metadata log carries. Format
 * version 3 (version 2 lacked a queue's group; version 1 user limits and algorithms, vhost metadata
 * and topic permissions):
 *
 * <pre>
 * command  +---------+---------+----------------------------+
 *          | version | type    | fields of the type, in     |
 *          | u8 = 3  | u8      | the order below            |
 *          +---------+---------+----------------------------+
 *
 * str      +-----------+------------------+   varint: unsigned LEB128, 7 bits a byte, low
 * bytes    | varint n  | n bytes (UTF-8   |   bits first, high bit set on all but the last
 *          |           | for a str)       |   byte; at most 5 bytes, n &lt; 2^31
 *          +-----------+------------------+
 * bool     u8, 0 or 1
 * i32      4 bytes, big-endian, two's complement
 * i64      8 bytes, big-endian, two's complement
 * kind     u8, 0 = queue, 1 = exchange
 *
 * type  command            fields
 *  1    PutVhost           str name, str description, varint count, count x str tag,
 *                          str defaultQueueType
 *  2    DeleteVhost        str name
 *  3    PutUser            str name, str passwordHash, str hashingAlgorithm, varint count,
 *                          count x str tag, varint count, count x (str limit, i64 value)
 *  4    DeleteUser         str name
 *  5    SetPermissions     str user, str vhost, str configure, str write, str read
 *  6    ClearPermissions   str user, str vhost
 *  7    PutExchange        str vhost, str name, str type, bool autoDelete, bool internal,
 *                          bytes arguments
 *  8    DeleteExchange     str vhost, str name
 *  9    PutQueue           str vhost, str name, bool autoDelete, bytes arguments,
 *                          i32 queueGroup (-1: none; not in version 2)
 * 10    DeleteQueue        str vhost, str name
 * 11    Bind               str vhost, str source, kind destinationKind, str destination,
 *                          str routingKey, bytes arguments
 * 12    Unbind             as Bind
 * 13    PutPolicy          str vhost, str name, str pattern, str applyTo, i32 priority,
 *                          bytes definition
 * 14    DeletePolicy       str vhost, str name
 * 15    PutParameter       str component, str vhost, str name, bytes value
 * 16    DeleteParameter    str component, str vhost, str name
 * 17    SetTopicPermission str user, str vhost, str exchange, str write, str read
 * 18    ClearTopicPermissions str user, str vhost, str exchange ("" for all)
 * 19    PutOperatorPolicy  as PutPolicy
 * 20    DeleteOperatorPolicy as DeletePolicy
 * 21    PutGlobalParameter str name, bytes value
 * 22    DeleteGlobalParameter str name
 * </pre>
 *
 * Decoding is strict: an unknown version or type, a bad boolean or kind, malformed UTF-8, a length
 * past the end, or bytes left over raise {@link CommandFormatException}. A change of an existing
 * type's fields needs a new version byte; a new type only a new type code. Version 2 is still read
 * (the metadata log and its snapshots keep encoded commands): its PutQueue has no group.
 *
 * <p>Stateless and thread-safe.
 */
public final class DefinitionCommandCodec {

  /**
   * The format version this code writes. 2: vhost metadata, the user's hashing algorithm and
   * limits, topic permissions (types 19-22, operator policies and global parameters, are new types
   * of version 2: no existing type changed). 3: PutQueue ends with its queue group.
   */
  static final int FORMAT_VERSION = 3;

  /** The oldest version still read. */
  static final int OLDEST_READ_VERSION = 2;

  private static final int QUEUE_KIND = 0;
  private static final int EXCHANGE_KIND = 1;

  private DefinitionCommandCodec() {}

  /** The bytes of {@code command}, in format version {@value #FORMAT_VERSION}. */
  public static byte[] encode(DefinitionCommand command) {
    return command.accept(new CommandEncoder());
  }

  /** The command encoded in {@code bytes}, which must hold exactly one command. */
  public static DefinitionCommand decode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      int version = in.get() & 0xFF;
      if (version < OLDEST_READ_VERSION || version > FORMAT_VERSION) {
        throw new CommandFormatException("unsupported command format version " + version);
      }
      int code = in.get() & 0xFF;
      CommandType type = CommandType.ofCode(code);
      if (type == null) {
        throw new CommandFormatException("unknown command type " + code);
      }
      DefinitionCommand command = decode(type, version, in);
      if (in.hasRemaining()) {
        throw new CommandFormatException(
            in.remaining() + " bytes left after a " + type + " command");
      }
      return command;
    } catch (BufferUnderflowException e) {
      throw new CommandFormatException("command truncated", e);
    } catch (IllegalArgumentException e) {
      throw new CommandFormatException("invalid command: " + e.getMessage(), e);
    }
  }

  static int destinationKindCode(DestinationKind kind) {
    return kind == DestinationKind.QUEUE ? QUEUE_KIND : EXCHANGE_KIND;
  }

  private static DefinitionCommand decode(CommandType type, int version, ByteBuffer in) {
    switch (type) {
      case PUT_VHOST:
        return new PutVhost(string(in), string(in), strings(in), string(in));
      case DELETE_VHOST:
        return new DeleteVhost(string(in));
      case PUT_USER:
        return new PutUser(string(in), string(in), string(in), strings(in), limits(in));
      case DELETE_USER:
        return new DeleteUser(string(in));
      case SET_PERMISSIONS:
        return new SetPermissions(string(in), string(in), string(in), string(in), string(in));
      case CLEAR_PERMISSIONS:
        return new ClearPermissions(string(in), string(in));
      case PUT_EXCHANGE:
        return new PutExchange(string(in), string(in), string(in), bool(in), bool(in), bytes(in));
      case DELETE_EXCHANGE:
        return new DeleteExchange(string(in), string(in));
      case PUT_QUEUE:
        return new PutQueue(
            string(in), string(in), bool(in), bytes(in), version >= 3 ? in.getInt() : -1);
      case DELETE_QUEUE:
        return new DeleteQueue(string(in), string(in));
      case BIND:
        return new Bind(string(in), string(in), kind(in), string(in), string(in), bytes(in));
      case UNBIND:
        return new Unbind(string(in), string(in), kind(in), string(in), string(in), bytes(in));
      case PUT_POLICY:
        return new PutPolicy(
            string(in), string(in), string(in), string(in), in.getInt(), bytes(in));
      case DELETE_POLICY:
        return new DeletePolicy(string(in), string(in));
      case PUT_PARAMETER:
        return new PutParameter(string(in), string(in), string(in), bytes(in));
      case DELETE_PARAMETER:
        return new DeleteParameter(string(in), string(in), string(in));
      case SET_TOPIC_PERMISSION:
        return new SetTopicPermission(string(in), string(in), string(in), string(in), string(in));
      case CLEAR_TOPIC_PERMISSIONS:
        return new ClearTopicPermissions(string(in), string(in), string(in));
      case PUT_OPERATOR_POLICY:
        return new PutOperatorPolicy(
            string(in), string(in), string(in), string(in), in.getInt(), bytes(in));
      case DELETE_OPERATOR_POLICY:
        return new DeleteOperatorPolicy(string(in), string(in));
      case PUT_GLOBAL_PARAMETER:
        return new PutGlobalParameter(string(in), bytes(in));
      case DELETE_GLOBAL_PARAMETER:
        return new DeleteGlobalParameter(string(in));
      default:
        throw new AssertionError(type);
    }
  }

  private static int varint(ByteBuffer in) {
    int value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = in.get() & 0xFF;
      value |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (value < 0 || (shift == 28 && b > 0x07)) {
          throw new CommandFormatException("length out of range");
        }
        return value;
      }
    }
    throw new CommandFormatException("varint longer than 5 bytes");
  }

  private static byte[] bytes(ByteBuffer in) {
    int length = varint(in);
    if (length > in.remaining()) {
      throw new CommandFormatException(
          "length " + length + " past the end (" + in.remaining() + " bytes left)");
    }
    byte[] value = new byte[length];
    in.get(value);
    return value;
  }

  private static String string(ByteBuffer in) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes(in))).toString();
    } catch (CharacterCodingException e) {
      throw new CommandFormatException("malformed UTF-8 in a string", e);
    }
  }

  private static List<String> strings(ByteBuffer in) {
    int count = varint(in);
    if (count > in.remaining()) {
      throw new CommandFormatException("string count " + count + " past the end");
    }
    List<String> values = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      values.add(string(in));
    }
    return values;
  }

  private static Map<String, Long> limits(ByteBuffer in) {
    int count = varint(in);
    if (count > in.remaining()) {
      throw new CommandFormatException("limit count " + count + " past the end");
    }
    Map<String, Long> limits = new HashMap<>();
    for (int i = 0; i < count; i++) {
      limits.put(string(in), in.getLong());
    }
    return limits;
  }

  private static boolean bool(ByteBuffer in) {
    int b = in.get();
    if (b != 0 && b != 1) {
      throw new CommandFormatException("boolean byte " + b + ", expected 0 or 1");
    }
    return b == 1;
  }

  private static DestinationKind kind(ByteBuffer in) {
    int b = in.get();
    if (b == QUEUE_KIND) {
      return DestinationKind.QUEUE;
    }
    if (b == EXCHANGE_KIND) {
      return DestinationKind.EXCHANGE;
    }
    throw new CommandFormatException("destination kind byte " + b + ", expected 0 or 1");
  }
}
