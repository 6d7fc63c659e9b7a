package dev.warren.ctl.commands;

import dev.warren.ctl.ApiPath;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.CtlException;
import dev.warren.ctl.ExitCode;
import dev.warren.ctl.Warrenctl;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * close_connection: DELETE /api/connections/{name} with the reason in X-Reason. Connections have no
 * process id in the API; the connection is named by its name, which list_connections prints in its
 * pid and name columns. A connection that is gone already is not an error, as with rabbitmqctl and
 * a dead pid.
 */
@Command(
    name = "close_connection",
    description =
        "Instructs the broker to close the connection with the given name (list_connections name)",
    customSynopsis = "close_connection <connection name> <explanation>")
public final class CloseConnection implements Callable<Integer> {
  @ParentCommand Warrenctl root;

  @Parameters(index = "0", paramLabel = "<connection name>")
  String connection;

  @Parameters(index = "1", paramLabel = "<explanation>")
  String reason;

  @Override
  public Integer call() {
    Ctl ctl = root.ctl();
    ctl.out().banner("Closing connection " + connection + ", reason: " + reason + "...");
    if (connection.startsWith("<") && connection.endsWith(">")) {
      throw CtlException.error(
          ExitCode.UNAVAILABLE,
          "connection process ids are not known to the management API; name the connection as"
              + " list_connections name shows it");
    }
    ctl.api().deleteIfPresent(ApiPath.of("connections", connection), Map.of("X-Reason", reason));
    ctl.out().ok();
    return 0;
  }
}
