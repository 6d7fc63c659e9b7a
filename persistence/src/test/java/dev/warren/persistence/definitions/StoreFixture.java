package dev.warren.persistence.definitions;

import java.util.List;
import java.util.Map;

/** A populated set of definitions in two virtual hosts, for the store tests. */
final class StoreFixture {

  static final byte[] ARGS = SampleCommands.ARGS;
  static final byte[] NO_ARGS = new byte[0];

  static final PutVhost ROOT = new PutVhost("/");
  static final PutVhost OTHER = new PutVhost("other", "another team's", List.of("test"), "classic");
  static final PutUser GUEST =
      new PutUser("guest", PasswordHash.hash("guest"), List.of("administrator"));
  static final PutUser BOB =
      new PutUser(
          "bob",
          "",
          "rabbit_password_hashing_md5",
          List.of(),
          Map.of("max-connections", 2L, "max-channels", 20L));
  static final SetPermissions GUEST_ROOT = new SetPermissions("guest", "/", ".*", ".*", ".*");
  static final SetPermissions GUEST_OTHER = new SetPermissions("guest", "other", "", ".*", ".*");
  static final SetPermissions BOB_ROOT = new SetPermissions("bob", "/", "^bob\\.", "", ".*");
  static final SetTopicPermission BOB_TOPIC =
      new SetTopicPermission("bob", "/", "amq.topic", "^{username}\\.", "");
  static final SetTopicPermission GUEST_TOPIC =
      new SetTopicPermission("guest", "other", "logs", ".*", "^x");
  static final PutExchange AMQ_DIRECT =
      new PutExchange("/", "amq.direct", "direct", false, false, NO_ARGS);
  static final PutExchange LOGS = new PutExchange("/", "logs", "topic", false, false, ARGS);
  static final PutExchange AUDIT = new PutExchange("/", "audit", "fanout", true, true, NO_ARGS);
  static final PutExchange OTHER_X = new PutExchange("other", "x", "direct", false, false, NO_ARGS);
  static final PutQueue ORDERS = new PutQueue("/", "orders", false, ARGS);
  static final PutQueue ERRORS = new PutQueue("/", "errors", true, NO_ARGS);
  static final PutQueue OTHER_Q = new PutQueue("other", "q", false, NO_ARGS);
  static final Bind LOGS_TO_ERRORS =
      new Bind("/", "logs", DestinationKind.QUEUE, "errors", "*.error", NO_ARGS);
  static final Bind LOGS_TO_AUDIT =
      new Bind("/", "logs", DestinationKind.EXCHANGE, "audit", "#", NO_ARGS);
  static final Bind AUDIT_TO_ORDERS =
      new Bind("/", "audit", DestinationKind.QUEUE, "orders", "", ARGS);
  static final Bind DIRECT_TO_ORDERS =
      new Bind("/", "amq.direct", DestinationKind.QUEUE, "orders", "orders", NO_ARGS);
  static final Bind OTHER_BINDING =
      new Bind("other", "x", DestinationKind.QUEUE, "q", "k", NO_ARGS);
  static final PutPolicy TTL =
      new PutPolicy("/", "ttl", "^orders$", "queues", 1, "{\"message-ttl\":1000}".getBytes());
  static final PutPolicy OTHER_POLICY =
      new PutPolicy("other", "all", ".*", "all", 0, "{}".getBytes());
  static final PutParameter UPSTREAM =
      new PutParameter("federation-upstream", "/", "origin", new byte[] {7});
  static final PutParameter OTHER_PARAMETER =
      new PutParameter("shovel", "other", "s", new byte[] {8});

  /** Named like a policy of the same vhost: the two kinds do not collide. */
  static final PutOperatorPolicy CAP =
      new PutOperatorPolicy("/", "ttl", ".*", "queues", 0, "{\"max-length\":10}".getBytes());

  static final PutOperatorPolicy OTHER_CAP =
      new PutOperatorPolicy("other", "cap", "^q$", "all", -1, "{}".getBytes());
  static final PutGlobalParameter CLUSTER_NAME =
      new PutGlobalParameter("cluster_name", "\"warren@test\"".getBytes());

  private StoreFixture() {}

  /** Every command of the fixture, in an order that satisfies their references. */
  static List<DefinitionCommand> all() {
    return List.of(
        ROOT,
        OTHER,
        GUEST,
        BOB,
        GUEST_ROOT,
        GUEST_OTHER,
        BOB_ROOT,
        BOB_TOPIC,
        GUEST_TOPIC,
        AMQ_DIRECT,
        LOGS,
        AUDIT,
        OTHER_X,
        ORDERS,
        ERRORS,
        OTHER_Q,
        LOGS_TO_ERRORS,
        LOGS_TO_AUDIT,
        AUDIT_TO_ORDERS,
        DIRECT_TO_ORDERS,
        OTHER_BINDING,
        TTL,
        OTHER_POLICY,
        UPSTREAM,
        OTHER_PARAMETER,
        CAP,
        OTHER_CAP,
        CLUSTER_NAME);
  }
}
