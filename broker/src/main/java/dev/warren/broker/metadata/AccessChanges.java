package dev.warren.broker.metadata;

import dev.warren.broker.access.AccessControl;
import dev.warren.broker.access.TopicPermission;
import dev.warren.persistence.definitions.ClearPermissions;
import dev.warren.persistence.definitions.ClearTopicPermissions;
import dev.warren.persistence.definitions.DeleteUser;
import dev.warren.persistence.definitions.PutUser;
import dev.warren.persistence.definitions.SetPermissions;
import dev.warren.persistence.definitions.SetTopicPermission;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Changes of users, permissions and topic permissions, each a task of the metadata writer: stored
 * first (one H2 transaction, forced to disk), then applied to {@link AccessControl}, which open
 * connections read at their next operation. Futures complete on the metadata thread; a refusal (an
 * unknown user or vhost, an expression that does not compile) fails them with {@link
 * IllegalArgumentException} and changes nothing.
 */
public final class AccessChanges {
  private final MetadataProxy metadata;
  private final AccessControl access;

  public AccessChanges(MetadataProxy metadata, AccessControl access) {
    this.metadata = metadata;
    this.access = access;
  }

  /** Creates or replaces a user; completes with true when it created it. */
  public CompletableFuture<Boolean> putUser(PutUser user) {
    return metadata.call(
        store -> {
          boolean created = access.user(user.name()).isEmpty();
          store.apply(user);
          access.putUser(AccessRecords.user(user));
          return created;
        });
  }

  /** Deletes a user with its permissions; completes with false when there was none. */
  public CompletableFuture<Boolean> deleteUser(String name) {
    return metadata.call(
        store -> {
          boolean existed = store.apply(new DeleteUser(name)).changed();
          access.deleteUser(name);
          return existed;
        });
  }

  public CompletableFuture<Void> setPermissions(SetPermissions p) {
    compiles(p.configure());
    compiles(p.write());
    compiles(p.read());
    return metadata.call(
        store -> {
          store.apply(p);
          access.setPermission(p.user(), p.vhost(), AccessRecords.permission(p));
          return null;
        });
  }

  public CompletableFuture<Void> clearPermissions(String user, String vhost) {
    return metadata.call(
        store -> {
          store.apply(new ClearPermissions(user, vhost));
          access.clearPermission(user, vhost);
          return null;
        });
  }

  public CompletableFuture<Void> setTopicPermission(SetTopicPermission p) {
    compiles(TopicPermission.withSampleVariables(p.write()));
    compiles(TopicPermission.withSampleVariables(p.read()));
    return metadata.call(
        store -> {
          store.apply(p);
          access.setTopicPermission(p.user(), p.vhost(), AccessRecords.topicPermission(p));
          return null;
        });
  }

  /** Clears on one exchange, or on all of the vhost for "". */
  public CompletableFuture<Void> clearTopicPermissions(String user, String vhost, String exchange) {
    return metadata.call(
        store -> {
          store.apply(new ClearTopicPermissions(user, vhost, exchange));
          access.clearTopicPermissions(user, vhost, exchange);
          return null;
        });
  }

  /** Refuses an expression Java cannot compile before anything is stored. */
  private static void compiles(String expression) {
    try {
      Pattern.compile(expression);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "invalid regular expression '" + expression + "': " + e.getDescription(), e);
    }
  }
}
