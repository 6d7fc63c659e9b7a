package dev.warren.persistence.definitions;

/** Bytes that are not an encoded {@link DefinitionCommand} of a format version this code reads. */
public final class CommandFormatException extends RuntimeException {

  public CommandFormatException(String message) {
    super(message);
  }

  public CommandFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
