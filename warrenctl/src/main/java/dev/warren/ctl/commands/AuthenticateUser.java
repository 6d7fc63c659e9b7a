package dev.warren.ctl.commands;

import dev.warren.ctl.ApiPath;
import dev.warren.ctl.ApiResponse;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.CtlException;
import dev.warren.ctl.ExitCode;
import dev.warren.ctl.Warrenctl;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * authenticate_user: GET /api/whoami as that user. A 401 whose reason is "Not management user"
 * still means the password was right (the user may just not use the management API); any other 401
 * is a failed authentication (65).
 */
@Command(
    name = "authenticate_user",
    description =
        "Attempts to authenticate a user. Exits with a non-zero code if authentication fails.",
    customSynopsis = "authenticate_user <username> <password>")
public final class AuthenticateUser implements Callable<Integer> {
  @ParentCommand Warrenctl root;
  @Mixin UserCredentials credentials;

  @Override
  public Integer call() {
    Ctl ctl = root.ctl();
    String username = credentials.username;
    ctl.out().banner("Authenticating user \"" + username + "\" ...");
    String secret = credentials.password(ctl);
    ApiResponse response =
        ctl.api().send("GET", ApiPath.of("whoami"), null, Map.of(), username, secret, false);
    boolean authenticated =
        response.ok()
            || (response.status() == 401 && response.reason().contains("Not management user"));
    if (!authenticated) {
      throw CtlException.error(
          ExitCode.DATA_ERROR,
          "Error: failed to authenticate user \""
              + username
              + "\"\nuser '"
              + username
              + "' - invalid credentials");
    }
    if (ctl.out().json()) {
      ctl.out().jsonLine(Map.of("message", "Success"));
    } else {
      ctl.out().line("Success");
    }
    return 0;
  }
}
