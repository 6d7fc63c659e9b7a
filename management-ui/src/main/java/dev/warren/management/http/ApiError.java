package dev.warren.management.http;

/**
 * An answer other than success, as RabbitMQ's API gives it: {@code {"error": error, "reason":
 * reason}} with {@code status}; thrown by endpoints, answered by {@link Dispatcher}.
 */
public final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String error;
  private final long retryAfterMillis;

  public ApiError(int status, String error, String reason) {
    this(status, error, reason, 0);
  }

  /** With a wait the caller should keep before asking again, sent as {@code Retry-After}. */
  public ApiError(int status, String error, String reason, long retryAfterMillis) {
    super(reason);
    this.status = status;
    this.error = error;
    this.retryAfterMillis = retryAfterMillis;
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

  /** 0 when the caller need not wait. */
  public long retryAfterMillis() {
    return retryAfterMillis;
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
