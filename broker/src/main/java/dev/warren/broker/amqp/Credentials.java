package dev.warren.broker.amqp;

import dev.warren.amqp.FieldTable;
import dev.warren.amqp.LongString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * User and password from a connection.start-ok response, for the SASL mechanisms we offer.
 *
 * <pre>
 * PLAIN    (RFC 4616):  [authzid] 0x00 user 0x00 password
 * AMQPLAIN (RabbitMQ):  a field table without its leading length: LOGIN and PASSWORD entries
 * </pre>
 */
record Credentials(String user, String password) {
  static Optional<Credentials> parse(String mechanism, LongString response) {
    byte[] bytes = response.bytes();
    if ("PLAIN".equals(mechanism)) {
      return plain(new String(bytes, StandardCharsets.UTF_8));
    }
    if ("AMQPLAIN".equals(mechanism)) {
      return amqplain(bytes);
    }
    return Optional.empty();
  }

  private static Optional<Credentials> plain(String response) {
    int first = response.indexOf('\0');
    int second = first < 0 ? -1 : response.indexOf('\0', first + 1);
    if (second < 0) {
      return Optional.empty();
    }
    return Optional.of(
        new Credentials(response.substring(first + 1, second), response.substring(second + 1)));
  }

  private static Optional<Credentials> amqplain(byte[] response) {
    ByteBuf table = Unpooled.buffer(response.length + 4);
    try {
      table.writeInt(response.length).writeBytes(response);
      Map<String, Object> fields = FieldTable.decode(table);
      Object login = fields.get("LOGIN");
      Object password = fields.get("PASSWORD");
      if (login == null || password == null) {
        return Optional.empty();
      }
      return Optional.of(new Credentials(login.toString(), password.toString()));
    } catch (RuntimeException malformed) {
      return Optional.empty();
    } finally {
      table.release();
    }
  }
}
