package dev.warren.persistence.definitions;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;

/**
 * Writes one command in the format described in {@link DefinitionCommandCodec}. Not thread-safe:
 * one encoder per call.
 */
final class CommandEncoder implements DefinitionCommand.Visitor<byte[]> {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

  private CommandEncoder start(CommandType type) {
    out.write(DefinitionCommandCodec.FORMAT_VERSION);
    out.write(type.code());
    return this;
  }

  private CommandEncoder string(String value) {
    return bytes(value.getBytes(StandardCharsets.UTF_8));
  }

  private CommandEncoder bytes(byte[] value) {
    varint(value.length);
    out.write(value, 0, value.length);
    return this;
  }

  private CommandEncoder bool(boolean value) {
    out.write(value ? 1 : 0);
    return this;
  }

  private CommandEncoder int32(int value) {
    out.write(value >>> 24);
    out.write(value >>> 16);
    out.write(value >>> 8);
    out.write(value);
    return this;
  }

  private CommandEncoder int64(long value) {
    int32((int) (value >>> 32));
    return int32((int) value);
  }

  private void varint(int value) {
    int rest = value;
    while ((rest & ~0x7F) != 0) {
      out.write((rest & 0x7F) | 0x80);
      rest >>>= 7;
    }
    out.write(rest);
  }

  private byte[] done() {
    return out.toByteArray();
  }

  @Override
  public byte[] putVhost(PutVhost c) {
    start(CommandType.PUT_VHOST).string(c.name()).string(c.description());
    varint(c.tags().size());
    c.tags().forEach(this::string);
    return string(c.defaultQueueType()).done();
  }

  @Override
  public byte[] deleteVhost(DeleteVhost c) {
    return start(CommandType.DELETE_VHOST).string(c.name()).done();
  }

  @Override
  public byte[] putUser(PutUser c) {
    start(CommandType.PUT_USER)
        .string(c.name())
        .string(c.passwordHash())
        .string(c.hashingAlgorithm());
    varint(c.tags().size());
    c.tags().forEach(this::string);
    varint(c.limits().size());
    new TreeMap<>(c.limits()).forEach((name, value) -> string(name).int64(value));
    return done();
  }

  @Override
  public byte[] deleteUser(DeleteUser c) {
    return start(CommandType.DELETE_USER).string(c.name()).done();
  }

  @Override
  public byte[] setPermissions(SetPermissions c) {
    return start(CommandType.SET_PERMISSIONS)
        .string(c.user())
        .string(c.vhost())
        .string(c.configure())
        .string(c.write())
        .string(c.read())
        .done();
  }

  @Override
  public byte[] setTopicPermission(SetTopicPermission c) {
    return start(CommandType.SET_TOPIC_PERMISSION)
        .string(c.user())
        .string(c.vhost())
        .string(c.exchange())
        .string(c.write())
        .string(c.read())
        .done();
  }

  @Override
  public byte[] clearTopicPermissions(ClearTopicPermissions c) {
    return start(CommandType.CLEAR_TOPIC_PERMISSIONS)
        .string(c.user())
        .string(c.vhost())
        .string(c.exchange())
        .done();
  }

  @Override
  public byte[] clearPermissions(ClearPermissions c) {
    return start(CommandType.CLEAR_PERMISSIONS).string(c.user()).string(c.vhost()).done();
  }

  @Override
  public byte[] putExchange(PutExchange c) {
    return start(CommandType.PUT_EXCHANGE)
        .string(c.vhost())
        .string(c.name())
        .string(c.type())
        .bool(c.autoDelete())
        .bool(c.internal())
        .bytes(c.arguments())
        .done();
  }

  @Override
  public byte[] deleteExchange(DeleteExchange c) {
    return start(CommandType.DELETE_EXCHANGE).string(c.vhost()).string(c.name()).done();
  }

  @Override
  public byte[] putQueue(PutQueue c) {
    return start(CommandType.PUT_QUEUE)
        .string(c.vhost())
        .string(c.name())
        .bool(c.autoDelete())
        .bytes(c.arguments())
        .int32(c.queueGroup())
        .done();
  }

  @Override
  public byte[] deleteQueue(DeleteQueue c) {
    return start(CommandType.DELETE_QUEUE).string(c.vhost()).string(c.name()).done();
  }

  @Override
  public byte[] bind(Bind c) {
    return binding(CommandType.BIND, c.binding());
  }

  @Override
  public byte[] unbind(Unbind c) {
    return binding(CommandType.UNBIND, c.binding());
  }

  private byte[] binding(CommandType type, BindingKey b) {
    start(type).string(b.vhost()).string(b.source());
    out.write(DefinitionCommandCodec.destinationKindCode(b.destinationKind()));
    return string(b.destination()).string(b.routingKey()).bytes(b.arguments()).done();
  }

  @Override
  public byte[] putPolicy(PutPolicy c) {
    return start(CommandType.PUT_POLICY)
        .string(c.vhost())
        .string(c.name())
        .string(c.pattern())
        .string(c.applyTo())
        .int32(c.priority())
        .bytes(c.definition())
        .done();
  }

  @Override
  public byte[] deletePolicy(DeletePolicy c) {
    return start(CommandType.DELETE_POLICY).string(c.vhost()).string(c.name()).done();
  }

  @Override
  public byte[] putParameter(PutParameter c) {
    return start(CommandType.PUT_PARAMETER)
        .string(c.component())
        .string(c.vhost())
        .string(c.name())
        .bytes(c.value())
        .done();
  }

  @Override
  public byte[] deleteParameter(DeleteParameter c) {
    return start(CommandType.DELETE_PARAMETER)
        .string(c.component())
        .string(c.vhost())
        .string(c.name())
        .done();
  }

  @Override
  public byte[] putOperatorPolicy(PutOperatorPolicy c) {
    return start(CommandType.PUT_OPERATOR_POLICY)
        .string(c.vhost())
        .string(c.name())
        .string(c.pattern())
        .string(c.applyTo())
        .int32(c.priority())
        .bytes(c.definition())
        .done();
  }

  @Override
  public byte[] deleteOperatorPolicy(DeleteOperatorPolicy c) {
    return start(CommandType.DELETE_OPERATOR_POLICY).string(c.vhost()).string(c.name()).done();
  }

  @Override
  public byte[] putGlobalParameter(PutGlobalParameter c) {
    return start(CommandType.PUT_GLOBAL_PARAMETER).string(c.name()).bytes(c.value()).done();
  }

  @Override
  public byte[] deleteGlobalParameter(DeleteGlobalParameter c) {
    return start(CommandType.DELETE_GLOBAL_PARAMETER).string(c.name()).done();
  }
}
