package dev.warren.management.spi;

/**
 * Queues counted and their figures added up (depths, bytes, consumers and counts), as aggregated
 * metrics report them.
 *
 * @param queues how many queues were summed
 * @param sum their figures added field by field ({@link QueueFigures#idleSinceMillis()} is 0)
 */
public record QueueTotals(int queues, QueueFigures sum) {

  public static final QueueTotals NONE = new QueueTotals(0, QueueFigures.EMPTY);
}
