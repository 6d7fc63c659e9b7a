package dev.warren.persistence.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/** Wraps a file layer, counting forces and appends, and making each force take at least 1 ms. */
final class CountingFileLayer implements FileLayer {

  final AtomicLong forces = new AtomicLong();
  final AtomicLong appends = new AtomicLong();
  private final FileLayer inner;

  CountingFileLayer(FileLayer inner) {
    this.inner = inner;
  }

  @Override
  public List<String> list() throws IOException {
    return inner.list();
  }

  @Override
  public SegmentFile create(String name) throws IOException {
    return new Counting(inner.create(name));
  }

  @Override
  public SegmentFile open(String name) throws IOException {
    return new Counting(inner.open(name));
  }

  @Override
  public void delete(String name) throws IOException {
    inner.delete(name);
  }

  private final class Counting implements SegmentFile {
    private final SegmentFile file;

    Counting(SegmentFile file) {
      this.file = file;
    }

    @Override
    public String name() {
      return file.name();
    }

    @Override
    public void append(ByteBuffer[] buffers) throws IOException {
      appends.incrementAndGet();
      file.append(buffers);
    }

    @Override
    public void force() throws IOException {
      forces.incrementAndGet();
      LockSupport.parkNanos(1_000_000);
      file.force();
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      return file.read(dst, position);
    }

    @Override
    public long size() throws IOException {
      return file.size();
    }

    @Override
    public void truncate(long size) throws IOException {
      file.truncate(size);
    }

    @Override
    public void close() throws IOException {
      file.close();
    }
  }
}
