package dev.warren.management.spi;

/** Objects created and gone since the node started; the API derives their rates. */
public record ChurnCounters(
    long connectionCreated,
    long connectionClosed,
    long channelCreated,
    long channelClosed,
    long queueCreated,
    long queueDeclared,
    long queueDeleted) {

  public static final ChurnCounters ZERO = new ChurnCounters(0, 0, 0, 0, 0, 0, 0);
}
