package dev.warren.management.http;

import java.net.InetAddress;
import java.util.Optional;

/** Checks HTTP Basic credentials; called on worker threads. */
@FunctionalInterface
public interface Authenticator {
  /**
   * The caller, or empty when the name or password is wrong or the address is not allowed; a {@code
   * ManagementException} when logins from the address are held off for now.
   */
  Optional<Caller> authenticate(String username, String password, InetAddress from);
}
