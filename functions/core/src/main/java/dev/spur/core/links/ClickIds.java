package dev.spur.core.links;

import java.security.SecureRandom;
import java.time.Instant;

/**
 * Click ids: 20 lower-case hex characters, the click's epoch milliseconds (11 characters) then
 * 36 random bits. Sorted as text they are sorted by time, so a link's clicks up to an instant
 * are one range of its partition.
 */
public final class ClickIds {

  private static final SecureRandom RANDOM = new SecureRandom();

  private ClickIds() {}

  /** A new id for a click at that instant. */
  public static String at(Instant clickedAt) {
    return prefixAt(clickedAt) + String.format("%09x", RANDOM.nextLong() & 0xfffffffffL);
  }

  /** The time part of the ids of clicks at that instant. */
  public static String prefixAt(Instant instant) {
    return String.format("%011x", Math.max(0, instant.toEpochMilli()));
  }
}
