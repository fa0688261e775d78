package dev.spur.core.log;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spur.core.json.Json;
import java.io.PrintStream;
import java.time.Instant;

/**
 * Structured log lines: one JSON object per decision worth knowing later. Callers pass ids and
 * figures only; no email address, name or other personal detail belongs here.
 */
public final class Log {

  private static volatile PrintStream out = System.out;

  private final String logger;

  private Log(String logger) {
    this.logger = logger;
  }

  /** A log named after the class that writes it. */
  public static Log of(Class<?> owner) {
    return new Log(owner.getSimpleName());
  }

  /** Sends every log line to the given stream instead of standard output. */
  public static void redirect(PrintStream stream) {
    out = stream;
  }

  /** An informational line: the event name and alternating key, value pairs. */
  public void info(String event, Object... fields) {
    write("INFO", event, fields);
  }

  /** A line about something that went wrong but was handled. */
  public void warn(String event, Object... fields) {
    write("WARN", event, fields);
  }

  /** A line about a fault. */
  public void error(String event, Object... fields) {
    write("ERROR", event, fields);
  }

  private void write(String level, String event, Object[] fields) {
    if (fields.length % 2 != 0) {
      throw new IllegalArgumentException("fields come in key, value pairs");
    }
    ObjectNode line = Json.object();
    line.put("timestamp", Instant.now().toString());
    line.put("level", level);
    line.put("logger", logger);
    line.put("event", event);
    for (int i = 0; i < fields.length; i += 2) {
      line.set(String.valueOf(fields[i]), Json.mapper().valueToTree(fields[i + 1]));
    }
    out.println(Json.write(line));
  }
}
