package dev.warren.management.spi;

/**
 * A socket the node listens on, as {@code /api/overview} lists it.
 *
 * @param protocol RabbitMQ's protocol name: {@code amqp}, {@code amqp/ssl}, {@code http}, {@code
 *     prometheus}, {@code clustering}
 */
public record Listener(String protocol, String ipAddress, int port) {}
