package dev.warren.broker.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Connection;
import dev.warren.broker.it.TestBroker;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code cluster_name} global parameter names the cluster in connection.start's server
 * properties; without it the name is the node's ({@code warren@host}, as RabbitMQ's {@code
 * rabbit@host}).
 */
class ClusterNameTest {
  @RegisterExtension static final PolicyFixture fixture = new PolicyFixture();

  private static String clusterName() throws Exception {
    try (Connection c = fixture.admin().factory().newConnection()) {
      return String.valueOf(c.getServerProperties().get("cluster_name"));
    }
  }

  @Test
  void theClusterNameParameterIsWhatNewConnectionsAreTold() throws Exception {
    String before = clusterName();
    fixture.admin().setGlobalParameter("cluster_name", "policy-it-cluster");
    fixture.undo(() -> fixture.admin().clearGlobalParameter("cluster_name"));
    assertEquals("policy-it-cluster", clusterName());
    fixture.admin().clearGlobalParameter("cluster_name");
    assertEquals(before, clusterName());
    assertNotEquals("policy-it-cluster", before);
  }

  @Test
  void withoutTheParameterTheClusterIsNamedAfterTheNode() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeFalse(
        TestBroker.isExternal(), "Warren's default name (RabbitMQ's is its node's, rabbit@host)");
    String host = InetAddress.getLocalHost().getHostName();
    String name = clusterName();
    assertTrue(name.startsWith("warren@"), name);
    assertTrue(host.startsWith(name.substring("warren@".length())), name + " for host " + host);
  }
}
