package dev.warren.broker.management;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warren.broker.it.AmqpSession;
import dev.warren.broker.it.TestBroker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The queue list's pages in RabbitMQ's orders: names by their UTF-8 bytes (not Java's UTF-16 order,
 * which puts a character above U+FFFF before U+FFFD), vhost and name by default, by name then vhost
 * with {@code sort=name}, the whole order reversed with {@code sort_reverse}; the same pages
 * whether the broker reads them off its sorted names or sorts every queue (a name filter). Listed
 * by a user who sees only the two vhosts made here. Runs against RabbitMQ too ({@code
 * -Dbroker.external=... -Dbroker.external.management=...}).
 */
class QueueListOrderOverHttpTest {
  private static final List<String> NAMES = List.of("b", "Z", "\uFFFD", "\uD83D\uDE00", "é", "a");

  private final ManagementHttp api = ManagementHttp.guest(TestBroker.managementAddress());
  private final String first = AmqpSession.uniqueName("order-a");
  private final String second = AmqpSession.uniqueName("order-b");
  private final String user = AmqpSession.uniqueName("order-user");
  private final ManagementHttp lister =
      new ManagementHttp(TestBroker.managementAddress(), user, "secret");

  @AfterEach
  void removeVhostsAndUser() {
    api.delete("/api/vhosts/" + ManagementHttp.segment(first));
    api.delete("/api/vhosts/" + ManagementHttp.segment(second));
    api.delete("/api/users/" + ManagementHttp.segment(user));
  }

  @Test
  void pagesFollowUtf8OrderAcrossVhostsAndReverseWhole() {
    api.put("/api/users/" + user, "{\"password\":\"secret\",\"tags\":\"management\"}");
    for (String vhost : List.of(second, first)) {
      String v = ManagementHttp.segment(vhost);
      assertEquals(201, api.put("/api/vhosts/" + v, "{}").status());
      String all = "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}";
      assertEquals(201, api.put("/api/permissions/" + v + "/" + user, all).status());
      for (String name : NAMES) {
        String path = "/api/queues/" + v + "/" + ManagementHttp.segment(name);
        assertEquals(201, api.put(path, "{\"durable\":false}").status(), name);
      }
    }
    // UTF-8 order: Z (5A) a b é (C3 A9) U+FFFD (EF BF BD) U+1F600 (F0 9F 98 80).
    List<String> utf8 = List.of("Z", "a", "b", "é", "\uFFFD", "\uD83D\uDE00");
    List<String> byVhost = new ArrayList<>();
    utf8.forEach(n -> byVhost.add(first + "/" + n));
    utf8.forEach(n -> byVhost.add(second + "/" + n));
    List<String> byName = new ArrayList<>();
    utf8.forEach(n -> byName.addAll(List.of(first + "/" + n, second + "/" + n)));

    assertEquals(byVhost, listed(""));
    assertEquals(reversed(byVhost), listed("&sort_reverse=true"));
    assertEquals(byName, listed("&sort=name"));
    assertEquals(reversed(byName), listed("&sort=name&sort_reverse=true"));
    assertEquals(byName, listed("&sort=name&name=.*&use_regex=true"), "filtered: every queue");
    assertEquals(byVhost, listed("&sort=vhost"));

    JsonNode third = lister.get("/api/queues?page=3&page_size=5&sort=name").json();
    assertEquals(12, third.get("total_count").asInt());
    assertEquals(12, third.get("filtered_count").asInt());
    assertEquals(3, third.get("page_count").asInt());
    assertEquals(2, third.get("item_count").asInt());
    JsonNode one =
        lister.get("/api/queues/" + ManagementHttp.segment(second) + "?page=2&page_size=4").json();
    assertEquals(6, one.get("total_count").asInt(), "the path's vhost only");
    assertEquals(List.of(second + "/\uFFFD", second + "/\uD83D\uDE00"), names(one.get("items")));
  }

  /** The whole list in pages of 5 as the user sees it: vhost/name of each queue in order. */
  private List<String> listed(String query) {
    List<String> all = new ArrayList<>();
    for (int page = 1; page <= 3; page++) {
      JsonNode reply =
          lister.get("/api/queues?page=" + page + "&page_size=5&columns=name,vhost" + query).json();
      all.addAll(names(reply.get("items")));
    }
    return all;
  }

  private static List<String> reversed(List<String> list) {
    List<String> copy = new ArrayList<>(list);
    Collections.reverse(copy);
    return copy;
  }

  private static List<String> names(JsonNode items) {
    List<String> out = new ArrayList<>();
    items.forEach(q -> out.add(q.get("vhost").asText() + "/" + q.get("name").asText()));
    return out;
  }
}
