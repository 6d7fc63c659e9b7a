package dev.warren.management.http;

import java.util.Map;

/**
 * What an endpoint answers: a status and either a value for Jackson to write as JSON, or nothing.
 *
 * @param body a Jackson-serializable value (a tree node, a map, a list), or null for no body
 * @param headers extra response headers
 */
public record ApiResponse(int status, Object body, Map<String, String> headers) {

  public static ApiResponse ok(Object body) {
    return new ApiResponse(200, body, Map.of());
  }

  /** 201 for a PUT or POST that created the object, 204 for one that updated it. */
  public static ApiResponse createdOrUpdated(boolean created) {
    return new ApiResponse(created ? 201 : 204, null, Map.of());
  }

  public static ApiResponse noContent() {
    return new ApiResponse(204, null, Map.of());
  }

  public static ApiResponse created(String location) {
    return new ApiResponse(201, null, Map.of("location", location));
  }
}
