package dev.warren.persistence.definitions;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.api.Trigger;

/**
 * An H2 trigger that fails the statement it fires for: a storage failure in the middle of a
 * command.
 */
public final class FailingTrigger implements Trigger {

  @Override
  public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
    throw new SQLException("injected failure");
  }
}
