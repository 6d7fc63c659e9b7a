package dev.warren.management.spi;

/** A user's write / read routing-key patterns on one topic exchange of one virtual host. */
public record TopicPermission(
    String user, String vhost, String exchange, String write, String read) {}
