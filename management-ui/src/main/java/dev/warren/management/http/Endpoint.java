package dev.warren.management.http;

/** One method of one route; runs on a management worker thread and may block. */
@FunctionalInterface
public interface Endpoint {
  ApiResponse handle(ApiRequest request);
}
