package dev.warren.broker.access;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.util.regex.Pattern;

/**
 * A user's permissions in one virtual host: RabbitMQ's configure, write and read regular
 * expressions on resource names (queues and exchanges alike), matched anywhere in the name as
 * Erlang's {@code re:run}. An empty expression allows only the empty name, as RabbitMQ reads it as
 * {@code ^$}. Compiled once; each decision is cached per name, so a publish to an exchange already
 * seen costs a cache lookup. Immutable apart from its caches; thread-safe.
 */
public final class Permission {

  /** Decisions kept per kind: the names a busy application uses, not every name ever seen. */
  private static final int CACHED_NAMES = 4_096;

  private final String configure;
  private final String write;
  private final String read;
  private final LoadingCache<String, Boolean> configureDecisions;
  private final LoadingCache<String, Boolean> writeDecisions;
  private final LoadingCache<String, Boolean> readDecisions;

  /**
   * @throws java.util.regex.PatternSyntaxException when an expression does not compile
   */
  public Permission(String configure, String write, String read) {
    this.configure = configure;
    this.write = write;
    this.read = read;
    this.configureDecisions = decisions(configure);
    this.writeDecisions = decisions(write);
    this.readDecisions = decisions(read);
  }

  private static LoadingCache<String, Boolean> decisions(String expression) {
    Pattern pattern = Pattern.compile(expression.isEmpty() ? "^$" : expression);
    return Caffeine.newBuilder()
        .maximumSize(CACHED_NAMES)
        .build(name -> pattern.matcher(name).find());
  }

  public String configure() {
    return configure;
  }

  public String write() {
    return write;
  }

  public String read() {
    return read;
  }

  public boolean mayConfigure(String name) {
    return configureDecisions.get(name);
  }

  public boolean mayWrite(String name) {
    return writeDecisions.get(name);
  }

  public boolean mayRead(String name) {
    return readDecisions.get(name);
  }
}
