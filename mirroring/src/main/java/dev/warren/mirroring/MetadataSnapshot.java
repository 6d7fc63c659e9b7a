package dev.warren.mirroring;

import dev.warren.persistence.definitions.Bind;
import dev.warren.persistence.definitions.ClearPermissions;
import dev.warren.persistence.definitions.ClearTopicPermissions;
import dev.warren.persistence.definitions.CommandFormatException;
import dev.warren.persistence.definitions.DefinitionCommand;
import dev.warren.persistence.definitions.Definitions;
import dev.warren.persistence.definitions.DeleteExchange;
import dev.warren.persistence.definitions.DeleteGlobalParameter;
import dev.warren.persistence.definitions.DeleteOperatorPolicy;
import dev.warren.persistence.definitions.DeleteParameter;
import dev.warren.persistence.definitions.DeletePolicy;
import dev.warren.persistence.definitions.DeleteQueue;
import dev.warren.persistence.definitions.DeleteUser;
import dev.warren.persistence.definitions.DeleteVhost;
import dev.warren.persistence.definitions.DurableQueue;
import dev.warren.persistence.definitions.LogPosition;
import dev.warren.persistence.definitions.PutExchange;
import dev.warren.persistence.definitions.PutGlobalParameter;
import dev.warren.persistence.definitions.PutOperatorPolicy;
import dev.warren.persistence.definitions.PutParameter;
import dev.warren.persistence.definitions.PutPolicy;
import dev.warren.persistence.definitions.PutQueue;
import dev.warren.persistence.definitions.PutUser;
import dev.warren.persistence.definitions.PutVhost;
import dev.warren.persistence.definitions.SetPermissions;
import dev.warren.persistence.definitions.SetTopicPermission;
import dev.warren.persistence.definitions.Unbind;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of the metadata group's state: every stored definition as of the entry at {@code
 * position}, as the put commands that make it, in dependency order (virtual hosts, users,
 * permissions, topic permissions, exchanges, queues, bindings, policies, operator policies,
 * parameters, global parameters). A node that installs it changes its definitions by {@link
 * #changesFrom} what it holds, applied as one entry through the ordinary apply path.
 *
 * <pre>
 * file     +-----------+------------+------------------------------------------------+
 *          | term  i64 | index  i64 | a MetadataEntry (origin "snapshot", sequence = |
 *          |           |            | index) holding the put commands                |
 *          +-----------+------------+------------------------------------------------+
 * </pre>
 */
public record MetadataSnapshot(LogPosition position, List<DefinitionCommand> commands) {

  static final String ORIGIN = "snapshot";

  public MetadataSnapshot {
    commands = List.copyOf(commands);
  }

  /** The snapshot of {@code stored}, the definitions as of {@code position}. */
  public static MetadataSnapshot of(LogPosition position, Definitions stored) {
    return new MetadataSnapshot(position, puts(stored));
  }

  /** {@code stored} as the put commands that make it, in dependency order. */
  static List<DefinitionCommand> puts(Definitions d) {
    List<DefinitionCommand> puts = new ArrayList<>();
    puts.addAll(d.vhosts());
    puts.addAll(d.users());
    puts.addAll(d.permissions());
    puts.addAll(d.topicPermissions());
    puts.addAll(d.exchanges());
    d.queues().stream().map(DurableQueue::declaration).forEach(puts::add);
    puts.addAll(d.bindings());
    puts.addAll(d.policies());
    puts.addAll(d.operatorPolicies());
    puts.addAll(d.parameters());
    puts.addAll(d.globalParameters());
    return puts;
  }

  /**
   * The commands that turn {@code current} into this snapshot's definitions: the deletes of what it
   * lacks (bindings first, virtual hosts last), then the puts of what is new or different (in
   * dependency order).
   */
  public List<DefinitionCommand> changesFrom(Definitions current) {
    Map<List<Object>, DefinitionCommand> now = byKey(puts(current));
    Map<List<Object>, DefinitionCommand> wanted = byKey(commands);
    List<DefinitionCommand> changes = new ArrayList<>();
    List<DefinitionCommand> gone = new ArrayList<>(now.values());
    for (int i = gone.size() - 1; i >= 0; i--) {
      DefinitionCommand put = gone.get(i);
      if (!wanted.containsKey(key(put))) {
        changes.add(delete(put));
      }
    }
    for (DefinitionCommand put : commands) {
      if (!put.equals(now.get(key(put)))) {
        changes.add(put);
      }
    }
    return changes;
  }

  private static Map<List<Object>, DefinitionCommand> byKey(List<DefinitionCommand> puts) {
    Map<List<Object>, DefinitionCommand> map = new LinkedHashMap<>();
    for (DefinitionCommand put : puts) {
      map.put(key(put), put);
    }
    return map;
  }

  /** What names a definition: two puts of one key are versions of one definition. */
  private static List<Object> key(DefinitionCommand put) {
    if (put instanceof PutVhost c) {
      return List.of("vhost", c.name());
    } else if (put instanceof PutUser c) {
      return List.of("user", c.name());
    } else if (put instanceof SetPermissions c) {
      return List.of("permissions", c.user(), c.vhost());
    } else if (put instanceof SetTopicPermission c) {
      return List.of("topic-permission", c.user(), c.vhost(), c.exchange());
    } else if (put instanceof PutExchange c) {
      return List.of("exchange", c.vhost(), c.name());
    } else if (put instanceof PutQueue c) {
      return List.of("queue", c.vhost(), c.name());
    } else if (put instanceof Bind c) {
      return List.of("binding", c);
    } else if (put instanceof PutPolicy c) {
      return List.of("policy", c.vhost(), c.name());
    } else if (put instanceof PutOperatorPolicy c) {
      return List.of("operator-policy", c.vhost(), c.name());
    } else if (put instanceof PutParameter c) {
      return List.of("parameter", c.component(), c.vhost(), c.name());
    } else if (put instanceof PutGlobalParameter c) {
      return List.of("global-parameter", c.name());
    }
    throw new IllegalArgumentException("not a put: " + put);
  }

  private static DefinitionCommand delete(DefinitionCommand put) {
    if (put instanceof PutVhost c) {
      return new DeleteVhost(c.name());
    } else if (put instanceof PutUser c) {
      return new DeleteUser(c.name());
    } else if (put instanceof SetPermissions c) {
      return new ClearPermissions(c.user(), c.vhost());
    } else if (put instanceof SetTopicPermission c) {
      return new ClearTopicPermissions(c.user(), c.vhost(), c.exchange());
    } else if (put instanceof PutExchange c) {
      return new DeleteExchange(c.vhost(), c.name());
    } else if (put instanceof PutQueue c) {
      return new DeleteQueue(c.vhost(), c.name());
    } else if (put instanceof Bind c) {
      return new Unbind(c.binding());
    } else if (put instanceof PutPolicy c) {
      return new DeletePolicy(c.vhost(), c.name());
    } else if (put instanceof PutOperatorPolicy c) {
      return new DeleteOperatorPolicy(c.vhost(), c.name());
    } else if (put instanceof PutParameter c) {
      return new DeleteParameter(c.component(), c.vhost(), c.name());
    } else if (put instanceof PutGlobalParameter c) {
      return new DeleteGlobalParameter(c.name());
    }
    throw new IllegalArgumentException("not a put: " + put);
  }

  public byte[] encode() {
    byte[] entry = new MetadataEntry(ORIGIN, position.index(), commands).encode();
    return ByteBuffer.allocate(16 + entry.length)
        .putLong(position.term())
        .putLong(position.index())
        .put(entry)
        .array();
  }

  public static MetadataSnapshot decode(byte[] bytes) {
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      LogPosition position = new LogPosition(in.getLong(), in.getLong());
      MetadataEntry entry = MetadataEntry.decode(Arrays.copyOfRange(bytes, 16, bytes.length));
      if (!entry.origin().equals(ORIGIN) || entry.sequence() != position.index()) {
        throw new CommandFormatException("not a snapshot of index " + position.index());
      }
      return new MetadataSnapshot(position, entry.commands());
    } catch (BufferUnderflowException e) {
      throw new CommandFormatException("snapshot truncated", e);
    }
  }
}
