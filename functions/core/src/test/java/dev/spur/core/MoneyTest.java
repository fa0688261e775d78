package dev.spur.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spur.core.money.Money;
import org.junit.jupiter.api.Test;

class MoneyTest {

  @Test
  void percentagesRoundHalfUpToTheMinorUnit() {
    Money order = new Money(12_345, "EUR");

    assertEquals(new Money(1_235, "EUR"), order.basisPoints(1_000));
    assertEquals(new Money(617, "EUR"), order.basisPoints(500));
    assertEquals(new Money(1, "EUR"), new Money(1, "EUR").basisPoints(5_000));
    assertEquals(new Money(0, "EUR"), new Money(1, "EUR").basisPoints(4_999));
  }

  @Test
  void averagesRoundHalfUp() {
    assertEquals(new Money(334, "EUR"), new Money(1_001, "EUR").dividedBy(3));
    assertEquals(new Money(500, "EUR"), new Money(999, "EUR").dividedBy(2));
    assertEquals(new Money(333, "EUR"), new Money(999, "EUR").dividedBy(3));
  }

  @Test
  void onlyIsoCodesInCapitalsAreCurrencies() {
    assertTrue(Money.isCurrency("EUR"));
    assertTrue(Money.isCurrency("JPY"));
    assertFalse(Money.isCurrency("eur"));
    assertFalse(Money.isCurrency("EURO"));
    assertFalse(Money.isCurrency("XYZ"));
    assertThrows(IllegalArgumentException.class, () -> new Money(1, "ABC"));
  }

  @Test
  void amountsOfDifferentCurrenciesDoNotAdd() {
    assertEquals(new Money(300, "EUR"), new Money(100, "EUR").plus(new Money(200, "EUR")));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Money(100, "EUR").plus(new Money(200, "USD")));
  }
}
