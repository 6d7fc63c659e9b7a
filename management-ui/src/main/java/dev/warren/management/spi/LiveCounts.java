package dev.warren.management.spi;

/**
 * How many connections, channels and consumers some users have open: the overview's {@code
 * object_totals}.
 */
public record LiveCounts(long connections, long channels, long consumers) {}
