package dev.warren.management;

import dev.warren.management.api.Api;
import dev.warren.management.api.Json;
import dev.warren.management.http.Caller;
import dev.warren.management.http.Dispatcher;
import dev.warren.management.http.Router;
import dev.warren.management.spi.ManagementBackend;
import dev.warren.management.spi.UserInfo;
import dev.warren.management.stats.Sampler;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management HTTP server: RabbitMQ's API under {@code /api}, answered from a {@link
 * ManagementBackend}.
 *
 * <p>Threads: one Netty event loop ({@code management-http}) parses HTTP and writes replies; {@code
 * workerThreads} threads ({@code management-api}) run requests, which may block on the backend,
 * with a bounded queue (a full queue answers 503); one thread ({@code management-sampler}) samples
 * counters for rates.
 */
public final class ManagementServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);

  private final EventLoopGroup loop;
  private final ThreadPoolExecutor workers;
  private final ScheduledExecutorService samplerThread;
  private final Channel server;
  private final Sampler sampler;

  private ManagementServer(
      EventLoopGroup loop,
      ThreadPoolExecutor workers,
      ScheduledExecutorService samplerThread,
      Channel server,
      Sampler sampler) {
    this.loop = loop;
    this.workers = workers;
    this.samplerThread = samplerThread;
    this.server = server;
    this.sampler = sampler;
  }

  /** Binds the port and starts sampling; returns once the port is listening. */
  public static ManagementServer start(ManagementConfig config, ManagementBackend backend)
      throws InterruptedException {
    Sampler sampler = new Sampler(backend, System::currentTimeMillis);
    Router router = new Router();
    Api.register(router, backend, sampler);
    Dispatcher dispatcher =
        new Dispatcher(
            router,
            (user, password, from) ->
                backend.authenticate(user, password, from).map(ManagementServer::caller),
            Json.MAPPER);
    ThreadPoolExecutor workers =
        new ThreadPoolExecutor(
            config.workerThreads(),
            config.workerThreads(),
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(1024),
            new DefaultThreadFactory("management-api", true));
    EventLoopGroup loop =
        new NioEventLoopGroup(1, new DefaultThreadFactory("management-http", true));
    ServerBootstrap b =
        new ServerBootstrap()
            .group(loop)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(config.maxBodyBytes()))
                        .addLast(
                            dev.warren.management.http.HttpPipeline.handler(dispatcher, workers));
                  }
                });
    Channel server;
    try {
      server = b.bind(config.bindAddress(), config.port()).sync().channel();
    } catch (InterruptedException | RuntimeException e) {
      loop.shutdownGracefully();
      workers.shutdownNow();
      throw e;
    }
    ScheduledExecutorService samplerThread =
        Executors.newSingleThreadScheduledExecutor(
            new DefaultThreadFactory("management-sampler", true));
    long every = config.sampleInterval().toMillis();
    samplerThread.scheduleAtFixedRate(sampler::sample, 0, every, TimeUnit.MILLISECONDS);
    LOG.info("management API listening on {}", server.localAddress());
    return new ManagementServer(loop, workers, samplerThread, server, sampler);
  }

  private static Caller caller(UserInfo u) {
    return new Caller(u.name(), u.tags());
  }

  /** The port bound (the chosen one when configured with 0). */
  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** The sampler, so a test can take a sample now instead of waiting for the timer. */
  public Sampler sampler() {
    return sampler;
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    samplerThread.shutdownNow();
    workers.shutdownNow();
    loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
