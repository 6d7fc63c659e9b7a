package dev.warren.amqp;

/** A heartbeat frame (type 8, channel 0, no payload). A singleton; immutable. */
public enum HeartbeatFrame implements Frame {
  INSTANCE;

  @Override
  public int channel() {
    return 0;
  }
}
