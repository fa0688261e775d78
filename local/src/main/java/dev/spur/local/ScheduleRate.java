package dev.spur.local;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EventBridge {@code rate(...)} schedule expression, the only kind the local stack fires by
 * itself; for a {@code cron(...)} schedule {@link #parse} says so plainly, and the schedule is
 * still fired on request.
 */
public record ScheduleRate(Duration period) {

  private static final Pattern RATE =
      Pattern.compile("rate\\(\\s*(\\d+)\\s+(minute|minutes|hour|hours|day|days)\\s*\\)");

  /** Reads {@code rate(N minutes|hours|days)}; refuses anything else with the reason. */
  public static ScheduleRate parse(String expression) {
    String trimmed = expression.trim();
    if (trimmed.startsWith("cron(")) {
      throw new IllegalArgumentException(
          "Schedule "
              + trimmed
              + " is a cron expression; the local stack only runs rate(...) schedules by"
              + " itself. Fire it with POST /_local/schedules/{functionId}.");
    }
    Matcher matcher = RATE.matcher(trimmed.toLowerCase(Locale.ROOT));
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          "Schedule " + trimmed + " is not rate(N minutes|hours|days)");
    }
    long amount = Long.parseLong(matcher.group(1));
    if (amount <= 0) {
      throw new IllegalArgumentException("Schedule " + trimmed + " needs a positive rate");
    }
    Duration unit =
        switch (matcher.group(2)) {
          case "minute", "minutes" -> Duration.ofMinutes(1);
          case "hour", "hours" -> Duration.ofHours(1);
          default -> Duration.ofDays(1);
        };
    return new ScheduleRate(unit.multipliedBy(amount));
  }
}
