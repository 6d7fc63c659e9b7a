package dev.warren.persistence.definitions;

/**
 * One change to the durable definitions of a node: the unit that {@link DefinitionStore#apply}
 * applies in one H2 transaction and, in a cluster, the entry of the replicated metadata log
 * (DESIGN.md sections 5 and 6). {@link DefinitionCommandCodec} turns a command into bytes and back.
 *
 * <p>Commands are immutable values: every {@code byte[]} component is copied in and out, and two
 * commands are equal when all their components, array contents included, are equal. Names are never
 * null; AMQP arguments, policy definitions and parameter values are opaque bytes that the broker
 * encodes (an AMQP field table for arguments). Put commands are upserts: putting an entity that
 * exists with the same attributes changes nothing; with other attributes it replaces them (a
 * durable queue keeps its queue id). Deciding whether a redeclaration is equivalent (AMQP's
 * PRECONDITION_FAILED) is the broker's job, before it issues the command.
 */
public sealed interface DefinitionCommand
    permits PutVhost,
        DeleteVhost,
        PutUser,
        DeleteUser,
        SetPermissions,
        ClearPermissions,
        PutExchange,
        DeleteExchange,
        PutQueue,
        DeleteQueue,
        Bind,
        Unbind,
        PutPolicy,
        DeletePolicy,
        PutParameter,
        DeleteParameter,
        SetTopicPermission,
        ClearTopicPermissions,
        PutOperatorPolicy,
        DeleteOperatorPolicy,
        PutGlobalParameter,
        DeleteGlobalParameter {

  /** Calls the method of {@code visitor} that matches this command's type. */
  <R> R accept(Visitor<R> visitor);

  /**
   * One method per command type, so that code dispatching on commands (the codec, the store) does
   * not compile until it handles a newly added type.
   */
  interface Visitor<R> {
    R putVhost(PutVhost command);

    R deleteVhost(DeleteVhost command);

    R putUser(PutUser command);

    R deleteUser(DeleteUser command);

    R setPermissions(SetPermissions command);

    R clearPermissions(ClearPermissions command);

    R putExchange(PutExchange command);

    R deleteExchange(DeleteExchange command);

    R putQueue(PutQueue command);

    R deleteQueue(DeleteQueue command);

    R bind(Bind command);

    R unbind(Unbind command);

    R putPolicy(PutPolicy command);

    R deletePolicy(DeletePolicy command);

    R putParameter(PutParameter command);

    R deleteParameter(DeleteParameter command);

    R setTopicPermission(SetTopicPermission command);

    R clearTopicPermissions(ClearTopicPermissions command);

    R putOperatorPolicy(PutOperatorPolicy command);

    R deleteOperatorPolicy(DeleteOperatorPolicy command);

    R putGlobalParameter(PutGlobalParameter command);

    R deleteGlobalParameter(DeleteGlobalParameter command);
  }
}
