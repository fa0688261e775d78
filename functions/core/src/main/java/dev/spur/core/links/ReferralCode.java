package dev.spur.core.links;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;

/**
 * A referral code: 13 characters of Crockford's base32 (65 random bits), lower case, URL-safe.
 * Codes resolve whatever their case, and the letters people confuse with digits (i, l, o) read
 * as the digits they look like.
 */
public record ReferralCode(String value) {

  /** Length of every code. */
  public static final int LENGTH = 13;

  private static final String ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
  private static final SecureRandom RANDOM = new SecureRandom();

  public ReferralCode {
    if (value == null || value.length() != LENGTH || !value.chars().allMatch(
        c -> ALPHABET.indexOf(c) >= 0)) {
      throw new IllegalArgumentException("not a normalised referral code");
    }
  }

  /** A new random code. */
  public static ReferralCode generate() {
    char[] chars = new char[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      chars[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
    }
    return new ReferralCode(new String(chars));
  }

  /** Reads a code as typed or pasted; empty when it cannot be one. */
  public static Optional<ReferralCode> parse(String text) {
    if (text == null || text.length() != LENGTH) {
      return Optional.empty();
    }
    char[] chars = text.toLowerCase(Locale.ROOT).toCharArray();
    for (int i = 0; i < chars.length; i++) {
      char c =
          switch (chars[i]) {
            case 'i', 'l' -> '1';
            case 'o' -> '0';
            default -> chars[i];
          };
      if (ALPHABET.indexOf(c) < 0) {
        return Optional.empty();
      }
      chars[i] = c;
    }
    return Optional.of(new ReferralCode(new String(chars)));
  }

  @Override
  public String toString() {
    return value;
  }
}
