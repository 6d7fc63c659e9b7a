package dev.warren.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** HTTP Basic auth and RabbitMQ's tag rules, with RabbitMQ 3.10's statuses and bodies. */
class AuthTest extends ApiTestSupport {

  @Test
  void requestWithoutCredentialsIsChallengedWithAnEmptyBody() throws Exception {
    Reply r = call("GET", "/api/overview", null, null, null);
    assertEquals(401, r.status());
    assertNull(r.json());
    assertEquals(
        "Basic realm=\"RabbitMQ Management\"",
        r.raw().headers().firstValue("www-authenticate").orElseThrow());
  }

  @Test
  void wrongPasswordIsLoginFailed() throws Exception {
    Reply r = call("GET", "/api/overview", "guest", "nope", null);
    assertEquals(401, r.status());
    assertEquals("not_authorized", r.json().get("error").asText());
    assertEquals("Login failed", r.json().get("reason").asText());
    Reply unknown = call("GET", "/api/overview", "nobody", "x", null);
    assertEquals("Login failed", unknown.json().get("reason").asText());
  }

  @Test
  void userWithoutAManagementTagMayNotUseTheApi() throws Exception {
    user("plain", "", "%2F");
    Reply r = call("GET", "/api/overview", "plain", "plain", null);
    assertEquals(401, r.status());
    assertEquals("not_authorised", r.json().get("error").asText());
    assertEquals("Not management user", r.json().get("reason").asText());
  }

  @Test
  void monitoringUserSeesNodesButNotUsers() throws Exception {
    user("mon", "monitoring", null);
    assertEquals(200, call("GET", "/api/nodes", "mon", "mon", null).status());
    Reply users = call("GET", "/api/users", "mon", "mon", null);
    assertEquals(401, users.status());
    assertEquals("Not administrator user", users.json().get("reason").asText());
  }

  @Test
  void managementUserIsKeptToItsVhostsAndOffNodeData() throws Exception {
    put("/api/vhosts/team", "{}");
    user("man", "management", "team");
    put("/api/queues/%2F/q", "{}");
    put("/api/queues/team/tq", "{}");
    Reply nodes = call("GET", "/api/nodes", "man", "man", null);
    assertEquals(401, nodes.status());
    assertEquals("Not monitor user", nodes.json().get("reason").asText());
    Reply other = call("GET", "/api/queues/%2F", "man", "man", null);
    assertEquals(401, other.status());
    assertEquals("User not authorised to access virtual host", other.json().get("reason").asText());
    Reply all = call("GET", "/api/queues?columns=name", "man", "man", null);
    assertEquals(1, all.json().size());
    assertEquals("tq", all.json().get(0).get("name").asText());
    assertEquals(201, call("PUT", "/api/queues/team/mine", "man", "man", "{}").status());
  }

  @Test
  void onlyPolicymakersSetPolicies() throws Exception {
    put("/api/vhosts/team", "{}");
    user("man", "management", "team");
    user("pol", "policymaker", "team");
    String policy = "{\"pattern\":\"^q\",\"definition\":{\"max-length\":5}}";
    Reply refused = call("PUT", "/api/policies/team/p", "man", "man", policy);
    assertEquals(401, refused.status());
    assertEquals("User not authorised to access object", refused.json().get("reason").asText());
    assertEquals(201, call("PUT", "/api/policies/team/p", "pol", "pol", policy).status());
    Reply listed = call("GET", "/api/policies/team", "pol", "pol", null);
    assertEquals("all", listed.json().get(0).get("apply-to").asText());
    assertEquals(0, listed.json().get(0).get("priority").asInt());
  }

  @Test
  void whoamiNamesTheCallerAndItsTags() throws Exception {
    Reply r = get("/api/whoami");
    assertEquals("guest", r.json().get("name").asText());
    assertEquals("administrator", r.json().get("tags").get(0).asText());
  }
}
