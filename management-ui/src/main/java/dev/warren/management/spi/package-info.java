/**
 * The boundary between the management API and a broker: {@link
 * dev.warren.management.spi.ManagementBackend} and the immutable records it takes and returns.
 *
 * <p>Nothing here names a broker type; values that are JSON in RabbitMQ's API (arguments, policy
 * definitions, parameter values, client properties, message headers) are plain Java values: {@code
 * String}, {@code Long} or {@code Integer}, {@code Double}, {@code Boolean}, {@code null}, {@code
 * List} of those and {@code Map<String, ?>} of those.
 */
package dev.warren.management.spi;
