package dev.warren.ctl;

import java.nio.charset.StandardCharsets;

/**
 * Paths of the management API: {@code ApiPath.of("queues", "/", "q 1")} is {@code
 * /api/queues/%2F/q%201}. Every segment is percent-encoded in full (the default virtual host "/"
 * becomes %2F, as the API expects), so names may hold any character.
 */
public final class ApiPath {
  private ApiPath() {}

  public static String of(String... segments) {
    StringBuilder path = new StringBuilder("/api");
    for (String segment : segments) {
      path.append('/').append(encode(segment));
    }
    return path.toString();
  }

  /** Percent-encodes everything but RFC 3986's unreserved characters (and the dot segments). */
  static String encode(String segment) {
    if (segment.equals(".") || segment.equals("..")) {
      return segment.replace(".", "%2E");
    }
    StringBuilder out = new StringBuilder();
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        out.append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return out.toString();
  }
}
