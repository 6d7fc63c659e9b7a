package dev.warren.persistence.definitions;

import java.util.List;

/** One command of every type, with non-trivial values, for the codec and store tests. */
final class SampleCommands {

  static final byte[] ARGS = {0, 0, 0, 12, 1, 'x', 'S', 0, 0, 0, 4, 'l', 'a', 'z', 'y'};

  private SampleCommands() {}

  static List<DefinitionCommand> all() {
    return List.of(
        new PutVhost("/"),
        new DeleteVhost("v-é"),
        new PutUser("guest", PasswordHash.hash("guest"), List.of("administrator", "monitoring")),
        new DeleteUser("bob"),
        new SetPermissions("guest", "/", ".*", "^amq\\.", ""),
        new ClearPermissions("guest", "/"),
        new PutExchange("/", "logs", "topic", true, false, ARGS),
        new DeleteExchange("/", "logs"),
        new PutQueue("/", "orders", false, ARGS),
        new DeleteQueue("/", "orders"),
        new Bind("/", "logs", DestinationKind.QUEUE, "orders", "eu.#", ARGS),
        new Unbind("/", "logs", DestinationKind.EXCHANGE, "audit", "", new byte[0]),
        new PutPolicy("/", "ttl", "^orders$", "queues", -3, "{\"message-ttl\":60000}".getBytes()),
        new DeletePolicy("/", "ttl"),
        new PutParameter("federation-upstream", "/", "origin", new byte[] {1, 2, 3}),
        new DeleteParameter("federation-upstream", "/", "origin"));
  }
}
