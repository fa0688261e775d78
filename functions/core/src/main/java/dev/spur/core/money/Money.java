package dev.spur.core.money;

import java.util.Currency;
import java.util.Objects;

/**
 * An amount of money in minor units (cents for EUR) with its ISO 4217 currency. Never a
 * floating-point number.
 */
public record Money(long amount, String currency) {

  public Money {
    Objects.requireNonNull(currency, "currency");
    if (!isCurrency(currency)) {
      throw new IllegalArgumentException("unknown currency " + currency);
    }
  }

  /** True when the code is an ISO 4217 currency in capitals that has minor units. */
  public static boolean isCurrency(String code) {
    if (code == null || code.length() != 3 || !code.equals(code.toUpperCase())) {
      return false;
    }
    try {
      // Codes without minor units (gold, or the code for no currency) are no money to pay.
      return Currency.getInstance(code).getDefaultFractionDigits() >= 0;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The sum of this and another amount of the same currency. */
  public Money plus(Money other) {
    requireSameCurrency(other);
    return new Money(Math.addExact(amount, other.amount), currency);
  }

  private void requireSameCurrency(Money other) {
    if (!currency.equals(other.currency)) {
      throw new IllegalArgumentException(
          "cannot combine " + currency + " with " + other.currency);
    }
  }

  /**
   * This amount divided by a count, rounded half up to the minor unit; used for averages such
   * as the cost of one acquisition.
   */
  public Money dividedBy(long count) {
    if (count <= 0) {
      throw new IllegalArgumentException("count must be positive");
    }
    long quotient = Math.floorDiv(amount, count);
    long remainder = Math.floorMod(amount, count);
    return new Money(remainder * 2 >= count ? quotient + 1 : quotient, currency);
  }

  /** The given basis points of this amount (10,000 = all of it), rounded half up. */
  public Money basisPoints(long bps) {
    long product = Math.multiplyExact(amount, bps);
    long quotient = Math.floorDiv(product, 10_000L);
    long remainder = Math.floorMod(product, 10_000L);
    return new Money(remainder * 2 >= 10_000L ? quotient + 1 : quotient, currency);
  }
}
