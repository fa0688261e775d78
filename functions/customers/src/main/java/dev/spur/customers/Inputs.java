package dev.spur.customers;

import dev.spur.core.http.JsonBody;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/** The fields the lifecycle routes share, read the same way on each. */
final class Inputs {

  /** Order, customer, refund and feedback ids. */
  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}");
  private static final String ID_HINT = "must be 1 to 128 of A-Z, a-z, 0-9, _.:@-";
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  private Inputs() {}

  static String campaignId(JsonBody body) {
    return body.requiredText("campaignId", 64, null, null);
  }

  static String id(JsonBody body, String field) {
    return body.requiredText(field, 128, ID, ID_HINT);
  }

  /** A required instant, at most a few minutes ahead of the clock. */
  static Instant instant(JsonBody body, String field, Instant now) {
    if (body.node(field).isEmpty()) {
      body.reject(field, "is required: an ISO-8601 instant such as 2027-03-14T10:15:00Z");
      return null;
    }
    Optional<Instant> value = body.optionalInstant(field);
    if (value.isPresent() && value.get() != null && value.get().isAfter(now.plus(CLOCK_SKEW))) {
      body.reject(field, "must not be in the future");
      return null;
    }
    return value.orElse(null);
  }

  /** An id from a path, cut short for an answer. */
  static String shortened(String id) {
    return id.length() > 64 ? id.substring(0, 64) + "..." : id;
  }
}
