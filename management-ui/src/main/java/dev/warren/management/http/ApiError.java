package dev.warren.management.http;

/**
 * An answer other than success, as RabbitMQ's API gives it: {@code {"error": error, "reason":
 * reason}} with {@code status}; thrown by endpoints, answered by {@link Dispatcher}.
 */
public final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String error;

  public ApiError(int status, String error, String reason) {
    super(reason);
    this.status = status;
    this.error = error;
  }

  public int status() {
    return status;
  }

  public String error() {
    return error;
  }

  public String reason() {
    return getMessage();
  }

  /** 404 for a path or object that does not exist, RabbitMQ's exact words. */
  public static ApiError objectNotFound() {
    return new ApiError(404, "Object Not Found", "Not Found");
  }

  public static ApiError notFound(String reason) {
    return new ApiError(404, "not_found", reason);
  }

  public static ApiError badRequest(String reason) {
    return new ApiError(400, "bad_request", reason);
  }

  /** 401 for an authenticated user whose tags or permissions do not allow the request. */
  public static ApiError notAuthorised(String reason) {
    return new ApiError(401, "not_authorised", reason);
  }
}
