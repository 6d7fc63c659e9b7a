package dev.warren.ctl.commands;

import dev.warren.ctl.Ctl;
import dev.warren.ctl.CtlException;
import dev.warren.ctl.ExitCode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Parameters;

/** What add_user, change_password and authenticate_user are given: a user and its password. */
public final class UserCredentials {
  @Parameters(index = "0", paramLabel = "<username>")
  String username;

  @Parameters(index = "1", arity = "0..1", paramLabel = "<password>")
  String password;

  /**
   * The password argument, or when it was left out the first line of stdin, as rabbitmqctl reads it
   * (after printing "Password: ", unless -q, -s or the JSON format).
   */
  String password(Ctl ctl) {
    if (password != null) {
      return password;
    }
    ctl.out().banner("Password: ");
    String line;
    try {
      line =
          new BufferedReader(new InputStreamReader(ctl.stdin(), StandardCharsets.UTF_8)).readLine();
    } catch (IOException e) {
      line = null;
    }
    if (line == null || line.isEmpty()) {
      throw CtlException.error(
          ExitCode.DATA_ERROR, "Password is not provided via argument or stdin");
    }
    return line;
  }
}
