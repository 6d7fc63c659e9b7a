package dev.warren.persistence.definitions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DefinitionCommandCodecTest {

  @Test
  void everyCommandTypeSurvivesARoundTrip() {
    Set<CommandType> seen = EnumSet.noneOf(CommandType.class);
    for (DefinitionCommand command : SampleCommands.all()) {
      byte[] bytes = DefinitionCommandCodec.encode(command);
      seen.add(CommandType.ofCode(bytes[1]));
      assertEquals(command, DefinitionCommandCodec.decode(bytes));
    }
    assertEquals(EnumSet.allOf(CommandType.class), seen, "the samples cover every type");
  }

  @Test
  void commandClassesAndTypeCodesMatchOneToOne() {
    Set<Class<?>> classes = new HashSet<>();
    for (DefinitionCommand command : SampleCommands.all()) {
      classes.add(command.getClass());
    }
    assertEquals(
        Set.copyOf(Arrays.asList(DefinitionCommand.class.getPermittedSubclasses())), classes);
    assertEquals(CommandType.values().length, classes.size());
  }

  @Test
  void bindEncodesToTheDocumentedBytes() {
    Bind bind = new Bind("/", "amq.direct", DestinationKind.QUEUE, "q1", "rk", new byte[4]);
    byte[] expected = {
      3,
      11, // version 3, type Bind
      1,
      '/', // vhost
      10,
      'a',
      'm',
      'q',
      '.',
      'd',
      'i',
      'r',
      'e',
      'c',
      't', // source
      0, // destination kind: queue
      2,
      'q',
      '1', // destination
      2,
      'r',
      'k', // routing key
      4,
      0,
      0,
      0,
      0 // arguments: an empty field table as the broker encodes it
    };
    assertArrayEquals(expected, DefinitionCommandCodec.encode(bind));
  }

  @Test
  void longFieldsHaveMultiByteLengths() {
    PutQueue queue = new PutQueue("/", "q", true, new byte[200]);
    byte[] bytes = DefinitionCommandCodec.encode(queue);
    // 1, 9, vhost (2), name (2), autoDelete (1), then the length 200 = 0xC8 0x01, the group (4)
    assertEquals((byte) 0xC8, bytes[7]);
    assertEquals(1, bytes[8]);
    assertEquals(9 + 200 + 4, bytes.length);
    assertEquals(queue, DefinitionCommandCodec.decode(bytes));
  }

  @Test
  void aQueueKeepsItsQueueGroup() {
    PutQueue queue = new PutQueue("/", "q", false, new byte[0], 3);
    PutQueue decoded =
        (PutQueue) DefinitionCommandCodec.decode(DefinitionCommandCodec.encode(queue));
    assertEquals(3, decoded.queueGroup());
    assertEquals(queue, decoded);
  }

  @Test
  void aVersionTwoQueueIsReadWithNoQueueGroup() {
    // What version 2 wrote (the metadata log and its snapshots keep such bytes): no group field.
    byte[] v2 = {2, 9, 1, '/', 1, 'q', 0, 0};
    assertEquals(
        new PutQueue("/", "q", false, new byte[0], PutQueue.NO_GROUP),
        DefinitionCommandCodec.decode(v2));
  }

  @Test
  void negativePriorityIsKept() {
    PutPolicy policy = new PutPolicy("/", "p", ".*", "all", Integer.MIN_VALUE, new byte[0]);
    assertEquals(policy, DefinitionCommandCodec.decode(DefinitionCommandCodec.encode(policy)));
  }

  @Test
  void everyTruncationOfEveryCommandIsRejected() {
    for (DefinitionCommand command : SampleCommands.all()) {
      byte[] bytes = DefinitionCommandCodec.encode(command);
      for (int length = 0; length < bytes.length; length++) {
        byte[] prefix = Arrays.copyOf(bytes, length);
        assertThrows(
            CommandFormatException.class,
            () -> DefinitionCommandCodec.decode(prefix),
            command + " cut to " + length);
      }
    }
  }

  @Test
  void trailingBytesAreRejected() {
    byte[] bytes = DefinitionCommandCodec.encode(new PutVhost("/"));
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
    assertThrows(CommandFormatException.class, () -> DefinitionCommandCodec.decode(longer));
  }

  @Test
  void unknownVersionAndTypeAreRejected() {
    assertThrows(
        CommandFormatException.class,
        () -> DefinitionCommandCodec.decode(new byte[] {1, 1, 1, '/'}));
    assertThrows(
        CommandFormatException.class,
        () -> DefinitionCommandCodec.decode(new byte[] {4, 1, 1, '/'}));
    assertThrows(
        CommandFormatException.class,
        () -> DefinitionCommandCodec.decode(new byte[] {2, 99, 1, '/'}));
    assertThrows(
        CommandFormatException.class,
        () -> DefinitionCommandCodec.decode(new byte[] {2, 0, 1, '/'}));
  }

  @Test
  void badBooleanKindUtf8AndTagsAreRejected() {
    byte[] queue = DefinitionCommandCodec.encode(new PutQueue("/", "q", false, new byte[0]));
    queue[6] = 2; // autoDelete
    assertThrows(CommandFormatException.class, () -> DefinitionCommandCodec.decode(queue));

    byte[] bind =
        DefinitionCommandCodec.encode(
            new Bind("/", "x", DestinationKind.EXCHANGE, "y", "", new byte[0]));
    bind[6] = 7; // destination kind
    assertThrows(CommandFormatException.class, () -> DefinitionCommandCodec.decode(bind));

    byte[] vhost = {2, 1, 2, (byte) 0xC3, (byte) 0x28}; // invalid UTF-8 sequence
    assertThrows(CommandFormatException.class, () -> DefinitionCommandCodec.decode(vhost));

    byte[] user = DefinitionCommandCodec.encode(new PutUser("u", "", List.of("a;b")));
    user[user.length - 3] = ','; // a tag with a comma (before the empty limits)
    assertThrows(CommandFormatException.class, () -> DefinitionCommandCodec.decode(user));
  }

  @Test
  void oversizedLengthIsRejected() {
    byte[] bytes = {2, 1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F};
    assertThrows(CommandFormatException.class, () -> DefinitionCommandCodec.decode(bytes));
  }

  @Test
  void commandsCopyTheirBytes() {
    byte[] arguments = {1, 2, 3};
    PutQueue queue = new PutQueue("/", "q", false, arguments);
    arguments[0] = 9;
    queue.arguments()[1] = 9;
    assertArrayEquals(new byte[] {1, 2, 3}, queue.arguments());
  }
}
