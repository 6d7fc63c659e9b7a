package dev.warren.management.api;

import dev.warren.management.http.ApiRequest;
import dev.warren.management.http.ApiResponse;

/**
 * {@code DELETE /api/nodes/{node}}: removes a stopped node from the cluster (rabbitmqctl's
 * forget_cluster_node). Warren's: RabbitMQ's HTTP API has no such path. An administrator's; 204
 * once done, 404 for a node not in the cluster, 400 when refused (it runs, or the majority would be
 * lost), 503 when the cluster did not commit it; the reason says which.
 */
final class ClusterNodeApi {
  private ClusterNodeApi() {}

  static ApiResponse forget(Api api, ApiRequest req) {
    Api.admin(req);
    api.backend.forgetClusterNode(req.var("node"));
    return ApiResponse.noContent();
  }
}
