package dev.warren.persistence.definitions;

import java.util.List;
import java.util.Map;

/** One command of every type, with non-trivial values, for the codec and store tests. */
final class SampleCommands {

  static final byte[] ARGS = {0, 0, 0, 12, 1, 'x', 'S', 0, 0, 0, 4, 'l', 'a', 'z', 'y'};

  private SampleCommands() {}

  static List<DefinitionCommand> all() {
    return List.of(
        new PutVhost("/"),
        new PutVhost("orders", "the order service", List.of("eu", "prod"), "quorum"),
        new DeleteVhost("v-é"),
        new PutUser("guest", PasswordHash.hash("guest"), List.of("administrator", "monitoring")),
        new PutUser(
            "app",
            PasswordHash.hash("s3cret", "rabbit_password_hashing_sha512"),
            "rabbit_password_hashing_sha512",
            List.of(),
            Map.of("max-connections", 10L, "max-channels", 0L)),
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
        new DeleteParameter("federation-upstream", "/", "origin"),
        new SetTopicPermission("guest", "/", "amq.topic", "^{username}\\.", ".*"),
        new ClearTopicPermissions("guest", "/", ""),
        new PutOperatorPolicy("/", "cap", ".*", "queues", 7, "{\"max-length\":1000}".getBytes()),
        new DeleteOperatorPolicy("/", "cap"),
        new PutGlobalParameter("cluster_name", "\"warren@é\"".getBytes()),
        new DeleteGlobalParameter("cluster_name"));
  }
}
