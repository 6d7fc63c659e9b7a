import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Generates the method model of package {@code dev.warren.amqp.method} from the AMQP 0-9-1 spec
 * XML: the sealed interface {@code Method}, one record per method, and {@code MethodDecoder}.
 *
 * <p>Run by Maven in {@code generate-sources} as a single-file program: {@code java
 * MethodGenerator.java SPEC_XML OUTPUT_DIR}. The output is never edited by hand (STYLE rule 3).
 */
public final class MethodGenerator {
  private static final String PACKAGE = "dev.warren.amqp.method";

  /**
   * Field names that would clash with an accessor of {@code Method}; the spec describes {@code
   * connection.close} and {@code channel.close}'s class-id and method-id as the failing method's.
   */
  private static final Map<String, String> RENAMES =
      Map.of("classId", "failingClassId", "methodId", "failingMethodId");

  /** AMQP primitive type to Java type. */
  private static final Map<String, String> JAVA_TYPES =
      Map.of(
          "bit", "boolean",
          "octet", "int",
          "short", "int",
          "long", "int",
          "longlong", "long",
          "shortstr", "String",
          "longstr", "LongString",
          "timestamp", "long",
          "table", "Map<String, Object>");

  /**
   * The one method whose shortstr arguments RabbitMQ (3.10) does not check for well-formed UTF-8:
   * the publish path. Every other method's are checked (FRAME_ERROR otherwise).
   */
  private static final String UNCHECKED_UTF8_METHOD = "basic.publish";

  record Field(String specName, String javaName, String type) {
    String javaType() {
      return JAVA_TYPES.get(type);
    }
  }

  record MethodSpec(
      String className,
      int classId,
      String methodName,
      int methodId,
      boolean content,
      List<Field> fields) {
    String recordName() {
      return camel(className, true) + camel(methodName, true);
    }

    String specName() {
      return className + "." + methodName;
    }

    String decodeFunction() {
      return camel(className, false) + camel(methodName, true);
    }
  }

  private MethodGenerator() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: MethodGenerator SPEC_XML OUTPUT_DIR");
    }
    List<MethodSpec> methods = readSpec(Path.of(args[0]));
    Path dir = Path.of(args[1]).resolve(PACKAGE.replace('.', '/'));
    Files.createDirectories(dir);
    write(dir.resolve("Method.java"), methodInterface(methods));
    for (MethodSpec method : methods) {
      write(dir.resolve(method.recordName() + ".java"), record(method));
    }
    write(dir.resolve("MethodDecoder.java"), decoder(methods));
    write(dir.resolve("AmqpClass.java"), classConstants(methods));
  }

  private static List<MethodSpec> readSpec(Path spec) throws Exception {
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(spec.toFile());
    Map<String, String> domains = new HashMap<>();
    for (Element domain : children(doc.getDocumentElement(), "domain")) {
      domains.put(domain.getAttribute("name"), domain.getAttribute("type"));
    }
    List<MethodSpec> methods = new ArrayList<>();
    for (Element amqpClass : children(doc.getDocumentElement(), "class")) {
      for (Element method : children(amqpClass, "method")) {
        List<Field> fields = new ArrayList<>();
        for (Element field : children(method, "field")) {
          String name = field.getAttribute("name");
          String javaName = camel(name, false);
          String type =
              field.hasAttribute("domain")
                  ? resolve(domains, field.getAttribute("domain"))
                  : field.getAttribute("type");
          if (!JAVA_TYPES.containsKey(type)) {
            throw new IllegalArgumentException("unknown type " + type + " of field " + name);
          }
          fields.add(new Field(name, RENAMES.getOrDefault(javaName, javaName), type));
        }
        methods.add(
            new MethodSpec(
                amqpClass.getAttribute("name"),
                Integer.parseInt(amqpClass.getAttribute("index")),
                method.getAttribute("name"),
                Integer.parseInt(method.getAttribute("index")),
                "1".equals(method.getAttribute("content")),
                fields));
      }
    }
    return methods;
  }

  private static String resolve(Map<String, String> domains, String domain) {
    String type = domain;
    while (domains.containsKey(type) && !domains.get(type).equals(type)) {
      type = domains.get(type);
    }
    return type;
  }

  private static List<Element> children(Element parent, String tag) {
    List<Element> result = new ArrayList<>();
    for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element element && element.getTagName().equals(tag)) {
        result.add(element);
      }
    }
    return result;
  }

  /** {@code "no-wait"} to {@code "noWait"} (or {@code "NoWait"} when {@code upper}). */
  static String camel(String specName, boolean upper) {
    StringBuilder out = new StringBuilder();
    boolean capitalize = upper;
    for (char c : specName.toCharArray()) {
      if (c == '-') {
        capitalize = true;
      } else {
        out.append(capitalize ? Character.toUpperCase(c) : c);
        capitalize = false;
      }
    }
    return out.toString();
  }

  private static String methodInterface(List<MethodSpec> methods) {
    StringBuilder permits = new StringBuilder();
    for (MethodSpec method : methods) {
      permits.append(permits.length() == 0 ? "" : ",\n        ").append(method.recordName());
    }
    return """
        package %s;

        import io.netty.buffer.ByteBuf;

        /**
         * An AMQP 0-9-1 method (spec 4.2.5): one immutable record per method of the spec.
         * Generated by MethodGenerator from the spec XML; do not edit. Records are immutable
         * apart from the field-table maps, which callers must not change; usable from any thread.
         */
        public sealed interface Method
            permits %s {
          /** The class index, e.g. 50 for {@code queue}. */
          int classId();

          /** The method index within its class, e.g. 10 for {@code queue.declare}. */
          int methodId();

          /** True for the methods followed by a content header and body frames. */
          boolean hasContent();

          /** The spec name, e.g. {@code "queue.declare"}. */
          String name();

          /**
           * Writes the arguments (consecutive bits packed into octets, low bit first; spec
           * 4.2.5.2) to {@code out}; the caller keeps ownership of {@code out}.
           *
           * @throws IllegalArgumentException if a shortstr is longer than 255 bytes or a table
           *     value has no field type
           */
          void encodeArguments(ByteBuf out);

          /** Writes a method frame payload: class-id, method-id and the arguments. */
          default void encode(ByteBuf out) {
            out.writeShort(classId());
            out.writeShort(methodId());
            encodeArguments(out);
          }
        }
        """
        .formatted(PACKAGE, permits);
  }

  private static String record(MethodSpec method) {
    TreeSet<String> imports = new TreeSet<>();
    imports.add("io.netty.buffer.ByteBuf");
    StringBuilder components = new StringBuilder();
    for (Field field : method.fields()) {
      switch (field.type()) {
        case "shortstr" -> imports.add("dev.warren.amqp.Wire");
        case "longstr" -> {
          imports.add("dev.warren.amqp.Wire");
          imports.add("dev.warren.amqp.LongString");
        }
        case "table" -> {
          imports.add("dev.warren.amqp.FieldTable");
          imports.add("java.util.Map");
        }
        default -> {}
      }
      components
          .append(components.length() == 0 ? "" : ", ")
          .append(field.javaType())
          .append(' ')
          .append(field.javaName());
    }
    StringBuilder importLines = new StringBuilder();
    for (String name : imports) {
      importLines.append("import ").append(name).append(";\n");
    }
    StringBuilder fieldDocs = new StringBuilder();
    for (Field field : method.fields()) {
      fieldDocs
          .append(" * @param ")
          .append(field.javaName())
          .append(" spec field {@code ")
          .append(field.specName())
          .append("} (")
          .append(field.type())
          .append(")\n");
    }
    return """
        package %s;

        %s
        /**
         * {@code %s}: class %d, method %d%s. Generated by MethodGenerator from the spec XML; do
         * not edit.
         *
        %s */
        public record %s(%s) implements Method {
          public static final int CLASS_ID = %d;
          public static final int METHOD_ID = %d;

          @Override
          public int classId() {
            return CLASS_ID;
          }

          @Override
          public int methodId() {
            return METHOD_ID;
          }

          @Override
          public boolean hasContent() {
            return %s;
          }

          @Override
          public String name() {
            return "%s";
          }

          @Override
          public void encodeArguments(ByteBuf out) {
        %s  }
        }
        """
        .formatted(
            PACKAGE,
            importLines,
            method.specName(),
            method.classId(),
            method.methodId(),
            method.content() ? ", followed by content" : "",
            fieldDocs,
            method.recordName(),
            components,
            method.classId(),
            method.methodId(),
            method.content(),
            method.specName(),
            encodeBody(method));
  }

  private static String encodeBody(MethodSpec method) {
    StringBuilder out = new StringBuilder();
    List<Field> fields = method.fields();
    for (int i = 0; i < fields.size(); ) {
      Field field = fields.get(i);
      if (field.type().equals("bit")) {
        List<String> bits = new ArrayList<>();
        while (i < fields.size() && fields.get(i).type().equals("bit") && bits.size() < 8) {
          bits.add("(" + fields.get(i).javaName() + " ? " + (1 << bits.size()) + " : 0)");
          i++;
        }
        out.append("    out.writeByte(").append(String.join(" | ", bits)).append(");\n");
        continue;
      }
      String name = field.javaName();
      out.append("    ")
          .append(
              switch (field.type()) {
                case "octet" -> "out.writeByte(" + name + ");";
                case "short" -> "out.writeShort(" + name + ");";
                case "long" -> "out.writeInt(" + name + ");";
                case "longlong", "timestamp" -> "out.writeLong(" + name + ");";
                case "shortstr" -> "Wire.writeShortstr(out, " + name + ");";
                case "longstr" -> "Wire.writeLongstr(out, " + name + ");";
                case "table" -> "FieldTable.encode(" + name + ", out);";
                default -> throw new IllegalStateException(field.type());
              })
          .append('\n');
      i++;
    }
    return out.toString();
  }

  private static String decoder(List<MethodSpec> methods) {
    Map<Integer, List<MethodSpec>> byClass = new LinkedHashMap<>();
    Map<Integer, String> classNames = new LinkedHashMap<>();
    for (MethodSpec method : methods) {
      byClass.computeIfAbsent(method.classId(), k -> new ArrayList<>()).add(method);
      classNames.put(method.classId(), method.className());
    }
    StringBuilder classCases = new StringBuilder();
    StringBuilder nameCases = new StringBuilder();
    StringBuilder classFunctions = new StringBuilder();
    StringBuilder methodFunctions = new StringBuilder();
    for (Map.Entry<Integer, List<MethodSpec>> entry : byClass.entrySet()) {
      String className = classNames.get(entry.getKey());
      String constant = "AmqpClass." + className.toUpperCase(Locale.ROOT);
      classCases.append(
          "      case %s -> %s(methodId, in);\n".formatted(constant, camel(className, false)));
      nameCases.append("      case %s -> switch (methodId) {\n".formatted(constant));
      StringBuilder methodCases = new StringBuilder();
      for (MethodSpec method : entry.getValue()) {
        nameCases.append(
            "        case %s.METHOD_ID -> \"%s\";\n"
                .formatted(method.recordName(), method.specName()));
        methodCases.append(
            "      case %s.METHOD_ID -> %s(in);\n"
                .formatted(method.recordName(), method.decodeFunction()));
        methodFunctions.append(decodeFunction(method));
      }
      nameCases.append("        default -> null;\n      };\n");
      classFunctions.append(
          """

            private static Method %s(int methodId, ByteBuf in) {
              return switch (methodId) {
          %s      default -> throw new IllegalStateException("no method " + methodId);
              };
            }
          """
              .formatted(camel(className, false), methodCases));
    }
    return """
        package %s;

        import dev.warren.amqp.ConnectionException;
        import dev.warren.amqp.FieldTable;
        import dev.warren.amqp.LongString;
        import dev.warren.amqp.Octets;
        import dev.warren.amqp.ReplyCode;
        import dev.warren.amqp.Wire;
        import io.netty.buffer.ByteBuf;
        import java.util.Map;

        /**
         * Decodes method frame payloads into {@link Method} records (spec 4.2.5). Generated by
         * MethodGenerator from the spec XML; do not edit. Stateless; any thread.
         *
         * <pre>
         * +----------+-----------+---------------------------------------------+
         * | class-id | method-id | arguments (bits packed low bit first)      |
         * +----------+-----------+---------------------------------------------+
         *   short      short
         * </pre>
         */
        public final class MethodDecoder {
          private MethodDecoder() {}

          /**
           * Reads one method from a whole method frame payload. Reads {@code payload} to its end
           * but does not take ownership of it: the caller releases it. The method holds no
           * reference to the buffer.
           *
           * @throws ConnectionException with RabbitMQ's codes and texts: {@link
           *     ReplyCode#NOT_IMPLEMENTED} for an unknown class or method; {@link
           *     ReplyCode#FRAME_ERROR} for a payload without a method id, truncated arguments, a
           *     table running past the frame or bytes left over after the arguments ("cannot
           *     decode" and the argument octets), or a shortstr argument that is not UTF-8 ({@link
           *     Wire#MALFORMED_UTF8}, naming no method); {@link ReplyCode#SYNTAX_ERROR} for a
           *     malformed table
           */
          public static Method decode(ByteBuf payload) {
            if (payload.readableBytes() < 4) {
              throw new ConnectionException(
                  ReplyCode.FRAME_ERROR,
                  "type 1, all octets = " + Octets.format(payload) + ": unknown_frame");
            }
            int classId = payload.readUnsignedShort();
            int methodId = payload.readUnsignedShort();
            String name = name(classId, methodId);
            if (name == null) {
              throw new ConnectionException(
                  ReplyCode.NOT_IMPLEMENTED,
                  "unknown method: class " + classId + ", method " + methodId,
                  classId,
                  methodId);
            }
            ByteBuf arguments = payload.slice();
            Method method;
            try {
              method = decodeArguments(classId, methodId, payload);
            } catch (IndexOutOfBoundsException e) {
              throw cannotDecode(arguments, classId, methodId);
            } catch (ConnectionException e) {
              if (e.text().equals(Wire.MALFORMED_UTF8)) {
                throw e;
              } else if (e.replyCode() == ReplyCode.FRAME_ERROR) {
                throw cannotDecode(arguments, classId, methodId);
              }
              throw new ConnectionException(
                  e.replyCode(), "malformed arguments of " + name + ": " + e.text(), classId, methodId);
            }
            if (payload.isReadable()) {
              throw cannotDecode(arguments, classId, methodId);
            }
            return method;
          }

          private static ConnectionException cannotDecode(ByteBuf arguments, int classId, int methodId) {
            return new ConnectionException(
                ReplyCode.FRAME_ERROR, "cannot decode " + Octets.format(arguments), classId, methodId);
          }

          /** The spec name of a method, e.g. {@code "queue.declare"}, or null if unknown. */
          public static String name(int classId, int methodId) {
            return switch (classId) {
        %s      default -> null;
            };
          }

          private static Method decodeArguments(int classId, int methodId, ByteBuf in) {
            return switch (classId) {
        %s      default -> throw new IllegalStateException("no class " + classId);
            };
          }
        %s%s}
        """
        .formatted(PACKAGE, nameCases, classCases, classFunctions, methodFunctions);
  }

  private static String classConstants(List<MethodSpec> methods) {
    Map<String, Integer> classes = new LinkedHashMap<>();
    for (MethodSpec method : methods) {
      classes.put(method.className(), method.classId());
    }
    StringBuilder constants = new StringBuilder();
    for (Map.Entry<String, Integer> entry : classes.entrySet()) {
      constants.append(
          "  /** Class {@code %s}. */\n  public static final int %s = %d;\n\n"
              .formatted(
                  entry.getKey(), entry.getKey().toUpperCase(Locale.ROOT), entry.getValue()));
    }
    return """
        package %s;

        /**
         * The class ids of the spec (e.g. {@code BASIC} = 60, the class-id of a content header).
         * Generated by MethodGenerator from the spec XML; do not edit.
         */
        public final class AmqpClass {
        %s  private AmqpClass() {}
        }
        """
        .formatted(PACKAGE, constants);
  }

  private static String decodeFunction(MethodSpec method) {
    StringBuilder body = new StringBuilder();
    List<Field> fields = method.fields();
    int octets = 0;
    for (int i = 0; i < fields.size(); ) {
      Field field = fields.get(i);
      if (field.type().equals("bit")) {
        String octet = "bits" + octets++;
        body.append("    int %s = in.readUnsignedByte();\n".formatted(octet));
        int bit = 0;
        while (i < fields.size() && fields.get(i).type().equals("bit") && bit < 8) {
          body.append(
              "    boolean %s = (%s & %d) != 0;\n"
                  .formatted(fields.get(i).javaName(), octet, 1 << bit));
          bit++;
          i++;
        }
        continue;
      }
      String read =
          switch (field.type()) {
            case "octet" -> "in.readUnsignedByte()";
            case "short" -> "in.readUnsignedShort()";
            case "long" -> "in.readInt()";
            case "longlong", "timestamp" -> "in.readLong()";
            case "shortstr" ->
                method.specName().equals(UNCHECKED_UTF8_METHOD)
                    ? "Wire.readShortstrLenient(in)"
                    : "Wire.readShortstr(in)";
            case "longstr" -> "Wire.readLongstr(in)";
            case "table" -> "FieldTable.decode(in)";
            default -> throw new IllegalStateException(field.type());
          };
      body.append("    %s %s = %s;\n".formatted(field.javaType(), field.javaName(), read));
      i++;
    }
    List<String> names = new ArrayList<>();
    for (Field field : fields) {
      names.add(field.javaName());
    }
    return """

          private static %s %s(ByteBuf in) {
        %s    return new %s(%s);
          }
        """
        .formatted(
            method.recordName(),
            method.decodeFunction(),
            body,
            method.recordName(),
            String.join(", ", names));
  }

  private static void write(Path file, String source) throws IOException {
    Files.writeString(file, source, StandardCharsets.UTF_8);
  }
}
