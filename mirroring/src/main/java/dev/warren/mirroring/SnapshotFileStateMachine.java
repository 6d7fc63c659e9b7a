package dev.warren.mirroring;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;

/**
 * What the metadata and queue-group state machines share: snapshots as single files in Ratis'
 * snapshot storage, the latest one loaded at start and again when Ratis installs one the leader
 * sent (this node lagged behind the purged log), its MD5 checked first, and the life-cycle moves
 * Ratis expects around the install. Subclasses read their own file format ({@link #load}) and write
 * it with {@link #storage}.
 */
abstract class SnapshotFileStateMachine extends BaseStateMachine {
  protected final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();

  /** Loads the snapshot {@code file} (its MD5 checked), which Ratis took at {@code at}. */
  protected abstract void load(Path file, TermIndex at) throws IOException;

  @Override
  public void initialize(RaftServer server, RaftGroupId group, RaftStorage raftStorage)
      throws IOException {
    super.initialize(server, group, raftStorage);
    getLifeCycle().transition(LifeCycle.State.STARTING);
    storage.init(raftStorage);
    loadLatest();
    getLifeCycle().transition(LifeCycle.State.RUNNING);
  }

  /** Ratis is about to install a snapshot the leader sent. */
  @Override
  public void pause() {
    if (getLifeCycleState() == LifeCycle.State.RUNNING) {
      getLifeCycle().transition(LifeCycle.State.PAUSING);
      getLifeCycle().transition(LifeCycle.State.PAUSED);
    }
  }

  /** The leader's snapshot is installed here. */
  @Override
  public void reinitialize() throws IOException {
    loadLatest();
    if (getLifeCycleState() == LifeCycle.State.PAUSED) {
      getLifeCycle().transition(LifeCycle.State.STARTING);
      getLifeCycle().transition(LifeCycle.State.RUNNING);
    }
  }

  @Override
  public SimpleStateMachineStorage getStateMachineStorage() {
    return storage;
  }

  private void loadLatest() throws IOException {
    SingleFileSnapshotInfo latest = storage.loadLatestSnapshot();
    if (latest == null) {
      return;
    }
    Path file = latest.getFile().getPath();
    MD5Hash md5 = latest.getFile().getFileDigest();
    if (md5 != null) {
      MD5FileUtil.verifySavedMD5(file.toFile(), md5);
    }
    load(file, latest.getTermIndex());
  }
}
