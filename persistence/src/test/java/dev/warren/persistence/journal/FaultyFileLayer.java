package dev.warren.persistence.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An in-memory {@link FileLayer} that models a disk losing power: {@link #crash(boolean)} returns
 * the disk as a restarted machine would see it (each file keeps only the bytes covered by its last
 * {@link SegmentFile#force()}, optionally plus a torn prefix of what was written after it) and
 * kills this instance, so that the journal still running on it fails every later operation, like a
 * process that died. Creation and deletion are durable at once, as the contract says.
 *
 * <p>Also injects corruption ({@link #flipBit}) and a force latency (a slow disk), and counts
 * forces. Thread-safe: one lock guards every file.
 */
public final class FaultyFileLayer implements FileLayer {

  private final Map<String, MemoryFile> files = new HashMap<>();
  private final Random random;
  private final AtomicLong forces = new AtomicLong();
  private volatile long forceLatencyNanos;
  private boolean crashed;

  public FaultyFileLayer() {
    this(0);
  }

  /** {@code seed} drives the length of torn writes. */
  public FaultyFileLayer(long seed) {
    this.random = new Random(seed);
  }

  /** Every force from now on takes at least this long, like a real disk's flush. */
  public void forceLatency(long amount, TimeUnit unit) {
    forceLatencyNanos = unit.toNanos(amount);
  }

  /** How many forces have completed on this instance. */
  public long forceCount() {
    return forces.get();
  }

  /**
   * Simulates a power loss: returns a new layer holding, for each file, the bytes covered by its
   * last force and, when {@code tearLastWrite}, a random-length prefix of the bytes written after
   * it (a write the disk had partly persisted). This instance fails every operation from now on.
   */
  public synchronized FaultyFileLayer crash(boolean tearLastWrite) {
    crashed = true;
    FaultyFileLayer after = new FaultyFileLayer(random.nextLong());
    for (Map.Entry<String, MemoryFile> e : files.entrySet()) {
      MemoryFile f = e.getValue();
      int keep = f.forced;
      if (tearLastWrite && f.size > f.forced) {
        keep += random.nextInt(f.size - f.forced + 1);
      }
      MemoryFile copy = new MemoryFile(e.getKey());
      copy.data = Arrays.copyOf(f.data, Math.max(keep, 16));
      copy.size = keep;
      copy.forced = keep;
      after.files.put(e.getKey(), copy);
    }
    return after;
  }

  /** Flips one bit of a file's durable content (a media error). */
  public synchronized void flipBit(String name, long position, int bit) throws IOException {
    MemoryFile f = file(name);
    if (position >= f.size) {
      throw new IOException(name + " has no byte at " + position);
    }
    f.data[(int) position] ^= (byte) (1 << bit);
  }

  /** The current length of a file, forced or not. */
  public synchronized long size(String name) throws IOException {
    return file(name).size;
  }

  @Override
  public synchronized List<String> list() throws IOException {
    alive();
    return new ArrayList<>(files.keySet());
  }

  @Override
  public synchronized SegmentFile create(String name) throws IOException {
    alive();
    if (files.containsKey(name)) {
      throw new IOException(name + " exists");
    }
    MemoryFile f = new MemoryFile(name);
    files.put(name, f);
    return new Handle(f);
  }

  @Override
  public synchronized SegmentFile open(String name) throws IOException {
    return new Handle(file(name));
  }

  @Override
  public synchronized void delete(String name) throws IOException {
    alive();
    MemoryFile f = files.remove(name);
    if (f != null) {
      f.deleted = true;
    }
  }

  private MemoryFile file(String name) throws IOException {
    alive();
    MemoryFile f = files.get(name);
    if (f == null) {
      throw new IOException(name + " does not exist");
    }
    return f;
  }

  private void alive() throws IOException {
    if (crashed) {
      throw new IOException("the disk lost power");
    }
  }

  private static final class MemoryFile {
    final String name;
    byte[] data = new byte[256];
    int size;
    int forced;
    boolean deleted;

    MemoryFile(String name) {
      this.name = name;
    }
  }

  private final class Handle implements SegmentFile {
    private final MemoryFile file;
    private boolean closed;

    Handle(MemoryFile file) {
      this.file = file;
    }

    @Override
    public String name() {
      return file.name;
    }

    @Override
    public void append(ByteBuffer[] buffers) throws IOException {
      synchronized (FaultyFileLayer.this) {
        usable();
        long total = 0;
        for (ByteBuffer b : buffers) {
          total += b.remaining();
        }
        if (file.size + total > Integer.MAX_VALUE - 8) {
          throw new IOException("memory file too large");
        }
        int need = (int) (file.size + total);
        if (need > file.data.length) {
          file.data = Arrays.copyOf(file.data, Math.max(need, file.data.length * 2));
        }
        for (ByteBuffer b : buffers) {
          int n = b.remaining();
          b.get(file.data, file.size, n);
          file.size += n;
        }
      }
    }

    @Override
    public void force() throws IOException {
      int covered;
      synchronized (FaultyFileLayer.this) {
        usable();
        covered = file.size;
      }
      long latency = forceLatencyNanos;
      if (latency > 0) {
        LockSupport.parkNanos(latency);
      }
      synchronized (FaultyFileLayer.this) {
        usable();
        file.forced = Math.max(file.forced, Math.min(covered, file.size));
      }
      forces.incrementAndGet();
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      synchronized (FaultyFileLayer.this) {
        usable();
        if (position >= file.size) {
          return -1;
        }
        int n = (int) Math.min(dst.remaining(), file.size - position);
        dst.put(file.data, (int) position, n);
        return n;
      }
    }

    @Override
    public long size() throws IOException {
      synchronized (FaultyFileLayer.this) {
        usable();
        return file.size;
      }
    }

    @Override
    public void truncate(long size) throws IOException {
      synchronized (FaultyFileLayer.this) {
        usable();
        if (size < file.size) {
          file.size = (int) size;
          file.forced = Math.min(file.forced, file.size);
        }
      }
    }

    @Override
    public void close() {
      synchronized (FaultyFileLayer.this) {
        closed = true;
      }
    }

    private void usable() throws IOException {
      alive();
      if (closed || file.deleted) {
        throw new IOException(file.name + " is closed or deleted");
      }
    }
  }
}
