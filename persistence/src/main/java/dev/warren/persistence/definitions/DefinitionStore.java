package dev.warren.persistence.definitions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable definitions of a node (virtual hosts, users, permissions, exchanges, queues,
 * bindings, policies, operator policies, parameters, global parameters) in an embedded H2 database,
 * file {@value #FILE_NAME}{@code .mv.db} under the directory given to {@link #open}. Transient and
 * exclusive entities never come here, nor do messages (the journal holds those).
 *
 * <p>Every change is a {@link DefinitionCommand}; {@link #apply} runs one command, {@link
 * #applyAll} a batch, each in one H2 transaction that is forced to disk before the call returns
 * when it changed anything. A command that fails leaves nothing of itself or of its batch behind.
 * In a cluster the same commands are the entries of the replicated metadata log and go through the
 * same code (DESIGN.md section 6).
 *
 * <p>The store checks references: a queue, exchange, policy, operator policy, parameter or
 * permission needs its virtual host, a permission its user, a binding its source exchange and its
 * destination, all stored ({@link InvalidCommandException} otherwise). Deletes cascade: a virtual
 * host takes everything in it, a user its permissions, an exchange the bindings from and to it, a
 * queue the bindings to it. Operations that are idempotent in RabbitMQ are idempotent here:
 * repeating a put changes nothing, deleting what is missing is no error.
 *
 * <p>Threads: not thread-safe. One metadata thread owns the store and makes every call; each call
 * blocks on disk, so never call it from a Netty event loop.
 */
public final class DefinitionStore implements DefinitionWriter, AutoCloseable {

  /** The database name: H2 keeps it in {@code definitions.mv.db}. */
  public static final String FILE_NAME = "definitions";

  private static final Logger LOG = LoggerFactory.getLogger(DefinitionStore.class);

  /**
   * Embedded file mode. DB_CLOSE_ON_EXIT=FALSE: closed by {@link #close}, not by a JVM shutdown
   * hook that may run while the broker still writes. FILE_LOCK=FS: an OS lock, so a second process
   * cannot open the files and a killed process leaves no stale lock. WRITE_DELAY=0: each commit
   * writes its changes synchronously (no background writer), so the {@code CHECKPOINT SYNC} after
   * it forces them to disk.
   */
  private static final String URL_OPTIONS = ";DB_CLOSE_ON_EXIT=FALSE;FILE_LOCK=FS;WRITE_DELAY=0";

  private final Path directory;
  private final Connection connection;
  private final CommandApplier applier;
  private boolean closed;

  private DefinitionStore(Path directory, Connection connection) {
    this.directory = directory;
    this.connection = connection;
    this.applier = new CommandApplier(connection);
  }

  /**
   * Opens the store in {@code directory}, creating the directory, the database and its schema on
   * first use and migrating an older schema.
   *
   * @throws DefinitionStoreException if the database cannot be opened, for example because another
   *     process has it open or it was written by a newer schema version
   */
  public static DefinitionStore open(Path directory) {
    Path absolute = directory.toAbsolutePath();
    if (absolute.toString().indexOf(';') >= 0) {
      throw new IllegalArgumentException("data directory may not contain ';': " + absolute);
    }
    try {
      Files.createDirectories(absolute);
    } catch (IOException e) {
      throw new DefinitionStoreException("cannot create " + absolute, e);
    }
    String url = "jdbc:h2:file:" + absolute.resolve(FILE_NAME) + URL_OPTIONS;
    Connection connection;
    try {
      connection = DriverManager.getConnection(url, "sa", "");
    } catch (SQLException e) {
      throw new DefinitionStoreException("cannot open the definitions database in " + absolute, e);
    }
    try {
      try (Statement statement = connection.createStatement()) {
        // H2 shares an open database between connections of one JVM: refuse them instead.
        statement.execute("SET EXCLUSIVE 1");
      }
      connection.setAutoCommit(false);
      int found = Schema.prepare(connection);
      LOG.info(
          "definitions store open in {} (schema version {}, found {})",
          absolute,
          Schema.CURRENT_VERSION,
          found == 0 ? "none, created" : String.valueOf(found));
      return new DefinitionStore(absolute, connection);
    } catch (SQLException | RuntimeException e) {
      closeQuietly(connection, e);
      if (e instanceof DefinitionStoreException stored) {
        throw stored;
      }
      throw new DefinitionStoreException("cannot prepare the definitions database", e);
    }
  }

  /**
   * Applies one command in its own transaction.
   *
   * @throws InvalidCommandException if it refers to something missing; nothing is applied
   * @throws DefinitionStoreException if the database failed; nothing is applied, unless the failure
   *     was in forcing the committed transaction to disk
   */
  @Override
  public Applied apply(DefinitionCommand command) {
    return applyAll(List.of(command)).get(0);
  }

  /**
   * Applies the commands in order, all in one transaction: either all are applied or none is.
   * Returns what each did, in the same order.
   *
   * @throws InvalidCommandException if one refers to something missing (also when an earlier
   *     command of the batch deleted it); nothing of the batch is applied
   * @throws DefinitionStoreException as {@link #apply}
   */
  @Override
  public List<Applied> applyAll(List<? extends DefinitionCommand> commands) {
    return applyAll(commands, null);
  }

  /**
   * Applies the commands of one entry of the replicated metadata log, as {@link #applyAll}, and
   * records {@code position} as the last entry applied, in the same transaction: after a crash the
   * store holds the entry's changes and its position, or neither. A refused entry (one that refers
   * to something missing) changes nothing but is still recorded as applied: every node refuses it
   * alike, and it must not be applied again.
   *
   * @throws InvalidCommandException if a command is refused; the position is recorded
   * @throws DefinitionStoreException as {@link #apply}; the position is then not recorded
   */
  public List<Applied> applyLogged(
      List<? extends DefinitionCommand> commands, LogPosition position) {
    try {
      return applyAll(commands, position);
    } catch (InvalidCommandException refused) {
      applyAll(List.of(), position);
      throw refused;
    }
  }

  /**
   * The last entry of the replicated metadata log applied here; {@link LogPosition#NONE} if none.
   */
  public LogPosition logPosition() {
    ensureOpen();
    try {
      LogPosition position = LogPosition.read(connection);
      connection.commit();
      return position;
    } catch (SQLException e) {
      rollback(e);
      throw new DefinitionStoreException("cannot read the metadata log position", e);
    }
  }

  private List<Applied> applyAll(List<? extends DefinitionCommand> commands, LogPosition position) {
    ensureOpen();
    List<Applied> results = new ArrayList<>(commands.size());
    boolean changed = position != null;
    try {
      for (DefinitionCommand command : commands) {
        Applied applied = command.accept(applier);
        changed |= applied.changed();
        results.add(applied);
      }
      if (position != null) {
        position.write(connection);
      }
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      rollback(e);
      if (e instanceof RuntimeException unchecked) {
        throw unchecked;
      }
      throw new DefinitionStoreException("commit failed", e);
    }
    if (changed) {
      sync();
    }
    return List.copyOf(results);
  }

  /** Everything in the store, read in one transaction. */
  @Override
  public Definitions load() {
    ensureOpen();
    try {
      Definitions definitions = new DefinitionsReader(connection).read();
      connection.commit();
      return definitions;
    } catch (SQLException e) {
      rollback(e);
      throw new DefinitionStoreException("cannot read the definitions", e);
    }
  }

  /** The directory the store lives in. */
  public Path directory() {
    return directory;
  }

  /** Closes the database; later calls other than {@code close} fail. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      connection.close();
      LOG.info("definitions store in {} closed", directory);
    } catch (SQLException e) {
      throw new DefinitionStoreException("cannot close the definitions database", e);
    }
  }

  private void sync() {
    try (Statement statement = connection.createStatement()) {
      statement.execute("CHECKPOINT SYNC");
    } catch (SQLException e) {
      throw new DefinitionStoreException("cannot force the definitions to disk", e);
    }
  }

  private void rollback(Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("definitions store is closed");
    }
  }

  private static void closeQuietly(Connection connection, Exception cause) {
    try {
      connection.close();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}
