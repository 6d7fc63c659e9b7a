package dev.warren.broker.access;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.util.regex.Pattern;

/**
 * A user's topic permission on one topic exchange of a virtual host: RabbitMQ's write and read
 * regular expressions on routing keys (publish, and bind from that exchange). The expressions may
 * name {@code {username}}, {@code {vhost}} and {@code {client_id}}, replaced per connection before
 * compiling; compiled expressions are shared. An empty expression allows nothing but the empty key.
 * Immutable; thread-safe.
 */
public record TopicPermission(String exchange, String write, String read) {

  private static final LoadingCache<String, Pattern> COMPILED =
      Caffeine.newBuilder()
          .maximumSize(10_000)
          .build(expression -> Pattern.compile(expression.isEmpty() ? "^$" : expression));

  /** Whether a publisher of this connection may publish with {@code routingKey}. */
  public boolean mayWrite(String routingKey, Variables variables) {
    return matches(write, routingKey, variables);
  }

  /** Whether a queue of this connection may bind with {@code routingKey}. */
  public boolean mayRead(String routingKey, Variables variables) {
    return matches(read, routingKey, variables);
  }

  private static boolean matches(String expression, String routingKey, Variables variables) {
    return COMPILED.get(variables.expand(expression)).matcher(routingKey).find();
  }

  /** The expression as a connection would compile it, for checking it before it is stored. */
  public static String withSampleVariables(String expression) {
    return new Variables("user", "vhost", "client").expand(expression);
  }

  /** The values a connection gives the variables of topic permission expressions. */
  public record Variables(String username, String vhost, String clientId) {
    String expand(String expression) {
      if (expression.indexOf('{') < 0) {
        return expression;
      }
      return expression
          .replace("{username}", Pattern.quote(username))
          .replace("{vhost}", Pattern.quote(vhost))
          .replace("{client_id}", Pattern.quote(clientId));
    }
  }
}
