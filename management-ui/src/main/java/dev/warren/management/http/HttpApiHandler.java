package dev.warren.management.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Hands each aggregated request to a worker thread and writes the reply back.
 *
 * <p>Thread: the connection's event loop reads; the request's bytes are copied out (the body is
 * JSON of at most the aggregator's limit) and the Netty buffer is released there, so the worker
 * owns no buffer. The worker builds the response and writes it through the channel (Netty moves the
 * write onto the event loop). Requests on one keep-alive connection are answered in order because
 * the client waits for each reply (no pipelining support is claimed).
 */
final class HttpApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private final Dispatcher dispatcher;
  private final Executor workers;

  HttpApiHandler(Dispatcher dispatcher, Executor workers) {
    this.dispatcher = dispatcher;
    this.workers = workers;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    String method = req.method().name();
    String uri = req.uri();
    Map<String, String> headers = new HashMap<>();
    req.headers()
        .forEach(h -> headers.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
    byte[] body = ByteBufUtil.getBytes(req.content());
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    boolean head = HttpMethod.HEAD.equals(req.method());
    InetAddress remote = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
    try {
      workers.execute(
          () -> {
            Dispatcher.Reply reply = dispatcher.dispatch(method, uri, headers, body, remote);
            write(ctx, reply, keepAlive, head);
          });
    } catch (RejectedExecutionException e) {
      byte[] busy =
          "{\"error\":\"service_unavailable\",\"reason\":\"busy\"}"
              .getBytes(java.nio.charset.StandardCharsets.UTF_8);
      write(
          ctx,
          new Dispatcher.Reply(503, Map.of("content-type", "application/json"), busy),
          false,
          head);
    }
  }

  private static void write(
      ChannelHandlerContext ctx, Dispatcher.Reply reply, boolean keepAlive, boolean head) {
    FullHttpResponse resp =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(reply.status()),
            head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(reply.body()));
    reply.headers().forEach((k, v) -> resp.headers().set(k, v));
    resp.headers().set(HttpHeaderNames.VARY, "accept, accept-encoding, origin");
    resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
    if (keepAlive) {
      HttpUtil.setKeepAlive(resp, true);
      ctx.writeAndFlush(resp);
    } else {
      ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
