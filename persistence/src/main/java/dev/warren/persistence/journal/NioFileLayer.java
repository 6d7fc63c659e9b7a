package dev.warren.persistence.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@link FileLayer} over {@link FileChannel}s in one directory. Creation and deletion fsync the
 * directory so that they survive a power loss, as the contract requires.
 *
 * <p>Each file has a write channel (used by one thread) and a separate read channel, because an
 * interrupt during a {@code FileChannel} operation closes the channel for every thread: a reader
 * that is interrupted only loses its own read channel, which is reopened by the next read.
 */
public final class NioFileLayer implements FileLayer {

  private final Path directory;

  public NioFileLayer(Path directory) throws IOException {
    this.directory = Files.createDirectories(directory);
  }

  public Path directory() {
    return directory;
  }

  @Override
  public List<String> list() throws IOException {
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.list(directory)) {
      files.filter(Files::isRegularFile).forEach(p -> names.add(p.getFileName().toString()));
    }
    return names;
  }

  @Override
  public SegmentFile create(String name) throws IOException {
    Path path = directory.resolve(name);
    FileChannel channel =
        FileChannel.open(
            path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
    syncDirectory();
    return new NioSegmentFile(name, path, channel);
  }

  @Override
  public SegmentFile open(String name) throws IOException {
    Path path = directory.resolve(name);
    FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.READ);
    channel.position(channel.size());
    return new NioSegmentFile(name, path, channel);
  }

  @Override
  public void delete(String name) throws IOException {
    if (Files.deleteIfExists(directory.resolve(name))) {
      syncDirectory();
    }
  }

  private void syncDirectory() throws IOException {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    }
  }

  private static final class NioSegmentFile implements SegmentFile {
    private final String name;
    private final Path path;
    private final FileChannel channel;
    private volatile FileChannel reader;
    private volatile boolean closed;

    NioSegmentFile(String name, Path path, FileChannel channel) {
      this.name = name;
      this.path = path;
      this.channel = channel;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void append(ByteBuffer[] buffers) throws IOException {
      int first = 0;
      while (first < buffers.length) {
        channel.write(buffers, first, buffers.length - first);
        while (first < buffers.length && !buffers[first].hasRemaining()) {
          first++;
        }
      }
    }

    @Override
    public void force() throws IOException {
      channel.force(false);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      while (true) {
        FileChannel r = reader();
        try {
          return r.read(dst, position);
        } catch (ClosedByInterruptException e) {
          throw e;
        } catch (ClosedChannelException e) {
          if (closed) {
            throw e;
          }
          synchronized (this) {
            if (reader == r) {
              reader = null;
            }
          }
        }
      }
    }

    private FileChannel reader() throws IOException {
      FileChannel r = reader;
      if (r != null && r.isOpen()) {
        return r;
      }
      synchronized (this) {
        if (closed) {
          throw new ClosedChannelException();
        }
        if (reader == null || !reader.isOpen()) {
          reader = FileChannel.open(path, StandardOpenOption.READ);
        }
        return reader;
      }
    }

    @Override
    public long size() throws IOException {
      return channel.size();
    }

    @Override
    public void truncate(long size) throws IOException {
      channel.truncate(size);
      channel.position(Math.min(channel.position(), size));
    }

    @Override
    public void close() throws IOException {
      synchronized (this) {
        closed = true;
        if (reader != null) {
          reader.close();
        }
      }
      channel.close();
    }
  }
}
