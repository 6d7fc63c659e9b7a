package dev.warren.management.spi;

/**
 * A runtime parameter of a component ({@code federation-upstream}, {@code shovel}, ...) in a
 * virtual host; vhost limits are not parameters here, see {@link VhostInfo#limits()}.
 *
 * @param value a JSON-like value
 */
public record Parameter(String vhost, String component, String name, Object value) {}
