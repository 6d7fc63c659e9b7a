package dev.warren.mirroring;

import dev.warren.persistence.definitions.CommandFormatException;
import dev.warren.persistence.definitions.DefinitionCommand;
import dev.warren.persistence.definitions.DefinitionCommandCodec;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of the replicated metadata log: the commands of one change of definitions, applied
 * together in one H2 transaction on every node, as the single node applies them (DESIGN.md sections
 * 5 and 6). {@code origin} and {@code sequence} name the change on the node that made it, so that
 * its writer knows its own entry when it comes back committed.
 *
 * <pre>
 * entry    +---------+------------+-------------+---------+-----------------------------+
 *          | version | origin     | sequence    | count   | count x command             |
 *          | u8 = 1  | u16 n, n   | i64         | i32     | i32 n, n bytes (persistence's|
 *          |         | bytes UTF-8|             |         | DefinitionCommandCodec)     |
 *          +---------+------------+-------------+---------+-----------------------------+
 * </pre>
 *
 * All integers big-endian. Decoding is strict: another version, a length past the end or bytes left
 * over raise {@link CommandFormatException}.
 */
public record MetadataEntry(String origin, long sequence, List<DefinitionCommand> commands) {

  static final int FORMAT_VERSION = 1;

  public MetadataEntry {
    commands = List.copyOf(commands);
  }

  /** Whether this is the entry {@code origin} made as {@code sequence}. */
  public boolean isFrom(String origin, long sequence) {
    return this.sequence == sequence && this.origin.equals(origin);
  }

  public byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT_VERSION);
      byte[] name = origin.getBytes(StandardCharsets.UTF_8);
      out.writeShort(name.length);
      out.write(name);
      out.writeLong(sequence);
      out.writeInt(commands.size());
      for (DefinitionCommand command : commands) {
        byte[] encoded = DefinitionCommandCodec.encode(command);
        out.writeInt(encoded.length);
        out.write(encoded);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array stream does not fail
    }
    return bytes.toByteArray();
  }

  /** The entry in {@code bytes}, which must hold exactly one. */
  public static MetadataEntry decode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      int version = in.get() & 0xFF;
      if (version != FORMAT_VERSION) {
        throw new CommandFormatException("unsupported metadata entry version " + version);
      }
      String origin = new String(chunk(in, in.getShort() & 0xFFFF), StandardCharsets.UTF_8);
      long sequence = in.getLong();
      int count = in.getInt();
      if (count < 0 || count > in.remaining()) {
        throw new CommandFormatException("bad command count " + count);
      }
      List<DefinitionCommand> commands = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        commands.add(DefinitionCommandCodec.decode(chunk(in, in.getInt())));
      }
      if (in.hasRemaining()) {
        throw new CommandFormatException(in.remaining() + " bytes left after a metadata entry");
      }
      return new MetadataEntry(origin, sequence, commands);
    } catch (BufferUnderflowException e) {
      throw new CommandFormatException("metadata entry truncated", e);
    }
  }

  private static byte[] chunk(ByteBuffer in, int length) {
    if (length < 0 || length > in.remaining()) {
      throw new CommandFormatException("length " + length + " past the end of the entry");
    }
    byte[] chunk = new byte[length];
    in.get(chunk);
    return chunk;
  }
}
