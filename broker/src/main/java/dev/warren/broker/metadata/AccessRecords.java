package dev.warren.broker.metadata;

import dev.warren.broker.access.Permission;
import dev.warren.broker.access.TopicPermission;
import dev.warren.broker.access.User;
import dev.warren.persistence.definitions.PutUser;
import dev.warren.persistence.definitions.SetPermissions;
import dev.warren.persistence.definitions.SetTopicPermission;

/** Access definitions as stored, made into what access control reads. */
final class AccessRecords {
  private AccessRecords() {}

  static User user(PutUser u) {
    return new User(
        u.name(),
        u.passwordHash(),
        u.hashingAlgorithm(),
        u.tags(),
        u.limits().getOrDefault("max-connections", -1L),
        u.limits().getOrDefault("max-channels", -1L));
  }

  static Permission permission(SetPermissions p) {
    return new Permission(p.configure(), p.write(), p.read());
  }

  static TopicPermission topicPermission(SetTopicPermission t) {
    return new TopicPermission(t.exchange(), t.write(), t.read());
  }
}
