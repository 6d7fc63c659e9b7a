package dev.warren.management.spi;

/**
 * A global runtime parameter ({@code cluster_name}, ...).
 *
 * @param value a JSON-like value
 */
public record GlobalParameter(String name, Object value) {}
