package dev.spur.core.fraud;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Where conversions of one UTC hour are counted for the velocity limits: per referrer, and per
 * customer device and IP address, those two by a digest, so the table never holds them.
 */
public final class Velocity {

  private static final DateTimeFormatter HOUR =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH").withZone(ZoneOffset.UTC);

  private Velocity() {}

  /** The sort key, in the campaign's partition, of the referrer's count for that hour. */
  public static String sortKey(String referrerId, Instant at) {
    return "VELOCITY#" + referrerId + "#" + HOUR.format(at);
  }

  /** The sort key of a device's count for that hour, by the device id's digest. */
  public static String deviceKey(String deviceDigest, Instant at) {
    return "VELOCITY#DEVICE#" + deviceDigest + "#" + HOUR.format(at);
  }

  /** The sort key of an IP address's count for that hour, by the address's digest. */
  public static String ipKey(String ipDigest, Instant at) {
    return "VELOCITY#IP#" + ipDigest + "#" + HOUR.format(at);
  }

  /** The SHA-256 digest, in hex, of a device id or an address as sent (lower-cased). */
  public static String digest(String value) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(
          sha.digest(value.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
