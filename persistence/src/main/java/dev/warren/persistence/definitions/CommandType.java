package dev.warren.persistence.definitions;

/**
 * The type byte of an encoded {@link DefinitionCommand}. Codes are part of the persistent format
 * (the replicated metadata log keeps them): never renumber or reuse one; add new types at the end.
 */
enum CommandType {
  PUT_VHOST(1),
  DELETE_VHOST(2),
  PUT_USER(3),
  DELETE_USER(4),
  SET_PERMISSIONS(5),
  CLEAR_PERMISSIONS(6),
  PUT_EXCHANGE(7),
  DELETE_EXCHANGE(8),
  PUT_QUEUE(9),
  DELETE_QUEUE(10),
  BIND(11),
  UNBIND(12),
  PUT_POLICY(13),
  DELETE_POLICY(14),
  PUT_PARAMETER(15),
  DELETE_PARAMETER(16),
  SET_TOPIC_PERMISSION(17),
  CLEAR_TOPIC_PERMISSIONS(18),
  PUT_OPERATOR_POLICY(19),
  DELETE_OPERATOR_POLICY(20),
  PUT_GLOBAL_PARAMETER(21),
  DELETE_GLOBAL_PARAMETER(22);

  private static final CommandType[] BY_CODE = new CommandType[256];

  static {
    for (CommandType type : values()) {
      BY_CODE[type.code] = type;
    }
  }

  private final int code;

  CommandType(int code) {
    this.code = code;
  }

  int code() {
    return code;
  }

  /** The type with this code, or {@code null} if there is none. */
  static CommandType ofCode(int code) {
    return BY_CODE[code & 0xFF];
  }
}
