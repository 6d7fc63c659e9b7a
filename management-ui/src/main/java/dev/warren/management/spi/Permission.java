package dev.warren.management.spi;

/** A user's configure / write / read regular expressions in one virtual host. */
public record Permission(String user, String vhost, String configure, String write, String read) {}
