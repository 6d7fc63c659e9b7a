package dev.warren.persistence.definitions;

/**
 * A command that refers to something missing: a virtual host, user, exchange or queue. The check
 * depends only on the definitions, so in a cluster every replica rejects the same command the same
 * way. Nothing of the command, or of the batch it was part of, is applied.
 */
public final class InvalidCommandException extends RuntimeException {

  private final transient DefinitionCommand command;

  public InvalidCommandException(DefinitionCommand command, String message) {
    super(message + " (" + command + ")");
    this.command = command;
  }

  /** The rejected command. */
  public DefinitionCommand command() {
    return command;
  }
}
