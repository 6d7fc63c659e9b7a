package dev.warren.stress;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import javax.net.SocketFactory;

/**
 * Sockets that read slowly: a small receive buffer (so that the kernel soon stops accepting what
 * the peer sends and the peer's socket fills) and an input stream that hands out at most {@code
 * bytesPerSecond}, sleeping in between, until {@link #unthrottle}. The RabbitMQ client reads
 * through it on its reader thread as usual, so it is a slow network rather than a slow application:
 * a consumer that sleeps in handleDelivery would not slow the socket down at all.
 *
 * <p>Threads: each socket's stream is read by its one reader thread; {@link #unthrottle} from any.
 */
final class ThrottledSocketFactory extends SocketFactory {
  private final int receiveBuffer;
  private final int bytesPerSecond;
  private volatile boolean throttled = true;

  ThrottledSocketFactory(int receiveBuffer, int bytesPerSecond) {
    this.receiveBuffer = receiveBuffer;
    this.bytesPerSecond = bytesPerSecond;
  }

  /** From now on the sockets read at full speed. */
  void unthrottle() {
    throttled = false;
  }

  @Override
  public Socket createSocket() throws SocketException {
    Socket s = new SlowSocket();
    s.setReceiveBufferSize(receiveBuffer);
    return s;
  }

  @Override
  public Socket createSocket(String host, int port) {
    throw new UnsupportedOperationException("the client connects an unconnected socket");
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
    throw new UnsupportedOperationException("the client connects an unconnected socket");
  }

  @Override
  public Socket createSocket(InetAddress host, int port) {
    throw new UnsupportedOperationException("the client connects an unconnected socket");
  }

  @Override
  public Socket createSocket(
      InetAddress address, int port, InetAddress localAddress, int localPort) {
    throw new UnsupportedOperationException("the client connects an unconnected socket");
  }

  private final class SlowSocket extends Socket {
    private InputStream in;

    @Override
    public synchronized InputStream getInputStream() throws IOException {
      if (in == null) {
        in = new SlowStream(super.getInputStream());
      }
      return in;
    }
  }

  /** Reads at most {@code bytesPerSecond} while throttled: a budget refilled every 10 ms. */
  private final class SlowStream extends FilterInputStream {
    private static final int TICKS_PER_SECOND = 100;
    private long budget;
    private long tickStart = System.nanoTime();

    SlowStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (!throttled) {
        return super.read(b, off, len);
      }
      while (budget <= 0) {
        long next = tickStart + 1_000_000_000L / TICKS_PER_SECOND;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          try {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException();
          }
        }
        tickStart = System.nanoTime();
        budget = Math.max(1, bytesPerSecond / TICKS_PER_SECOND);
        if (!throttled) {
          return super.read(b, off, len);
        }
      }
      int n = super.read(b, off, (int) Math.min(len, budget));
      if (n > 0) {
        budget -= n;
      }
      return n;
    }
  }
}
