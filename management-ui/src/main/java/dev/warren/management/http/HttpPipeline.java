package dev.warren.management.http;

import io.netty.channel.ChannelHandler;
import java.util.concurrent.Executor;

/** Builds the pipeline's request handler (whose class stays package-private). */
public final class HttpPipeline {
  private HttpPipeline() {}

  public static ChannelHandler handler(Dispatcher dispatcher, Executor workers) {
    return new HttpApiHandler(dispatcher, workers);
  }
}
