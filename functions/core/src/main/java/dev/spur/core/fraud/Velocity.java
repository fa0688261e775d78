package dev.spur.core.fraud;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Where a referrer's conversions of one UTC hour are counted, for the velocity limit. */
public final class Velocity {

  private static final DateTimeFormatter HOUR =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH").withZone(ZoneOffset.UTC);

  private Velocity() {}

  /** The sort key, in the campaign's partition, of the referrer's count for that hour. */
  public static String sortKey(String referrerId, Instant at) {
    return "VELOCITY#" + referrerId + "#" + HOUR.format(at);
  }
}
