package dev.spur.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Instant;

/**
 * The local stack's own log: one JSON object a line on standard error, carrying ids and counts,
 * never the payloads (they may hold email addresses).
 */
final class JsonLog {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PrintStream OUT = System.err;

  private JsonLog() {}

  static void info(String message, Object... fields) {
    write("INFO", message, fields);
  }

  static void warn(String message, Object... fields) {
    write("WARN", message, fields);
  }

  static void error(String message, Object... fields) {
    write("ERROR", message, fields);
  }

  private static void write(String level, String message, Object... fields) {
    if (fields.length % 2 != 0) {
      throw new IllegalArgumentException("Log fields come in name and value pairs");
    }
    ObjectNode line = JSON.createObjectNode();
    line.put("time", Instant.now().toString());
    line.put("level", level);
    line.put("logger", "spur-local");
    line.put("message", message);
    for (int i = 0; i < fields.length; i += 2) {
      Object value = fields[i + 1];
      String name = String.valueOf(fields[i]);
      if (value instanceof Number number) {
        line.put(name, number.longValue());
      } else if (value instanceof Boolean flag) {
        line.put(name, flag);
      } else {
        line.put(name, String.valueOf(value));
      }
    }
    synchronized (OUT) {
      OUT.println(line);
      OUT.flush();
    }
  }
}
