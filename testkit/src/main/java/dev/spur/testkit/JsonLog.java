package dev.spur.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** Writes the test kit's few decisions to standard error as JSON lines. */
final class JsonLog {

  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonLog() {}

  /** Logs one event; {@code fields} alternate names and values, values are written as text. */
  static void info(String message, Object... fields) {
    write("INFO", message, fields);
  }

  /** Logs one event that changed the plan, for example a fallback to another emulator. */
  static void warn(String message, Object... fields) {
    write("WARN", message, fields);
  }

  private static void write(String level, String message, Object... fields) {
    ObjectNode line = JSON.createObjectNode();
    line.put("time", Instant.now().toString());
    line.put("level", level);
    line.put("logger", "dev.spur.testkit");
    line.put("message", message);
    for (int i = 0; i + 1 < fields.length; i += 2) {
      Object value = fields[i + 1];
      if (value instanceof Number number) {
        line.put(String.valueOf(fields[i]), number.longValue());
      } else {
        line.put(String.valueOf(fields[i]), String.valueOf(value));
      }
    }
    try {
      System.err.println(JSON.writeValueAsString(line));
    } catch (JsonProcessingException e) {
      // A log line that cannot be written must not fail the test that asked for an emulator.
      System.err.println("{\"level\":\"" + level + "\",\"message\":\"unloggable event\"}");
    }
  }
}
