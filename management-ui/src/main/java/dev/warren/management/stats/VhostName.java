package dev.warren.management.stats;

/** The identity of a queue or an exchange: its vhost and name. */
public record VhostName(String vhost, String name) {}
