package dev.spur.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spur.allocation.Guardrails;
import dev.spur.core.campaigns.BudgetPeriod;
import dev.spur.core.campaigns.Campaign;
import dev.spur.core.campaigns.RewardRule;
import dev.spur.core.campaigns.RewardType;
import dev.spur.core.money.Money;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttributionWindowTest {

  private static Campaign berlin(int days) {
    return new Campaign("cmp_w", "W", "EUR", "Europe/Berlin", "https://shop.example.com",
        List.of("email"), new RewardRule(RewardType.CASH, 100L, null),
        new RewardRule(RewardType.CASH, 100L, null), days, new Money(1_000, "EUR"),
        BudgetPeriod.MONTH, Guardrails.NONE, Instant.parse("2027-01-01T00:00:00Z"), null, null,
        null, 0, null);
  }

  @Test
  void aWindowAcrossTheSpringClockChangeIsOneHourShorterInUtc() {
    Instant click = Instant.parse("2027-03-27T10:00:00Z");

    assertEquals(Instant.parse("2027-03-28T09:00:00Z"), berlin(1).attributionEndsAt(click));
  }

  @Test
  void aWindowAcrossTheAutumnClockChangeIsOneHourLongerInUtc() {
    Instant click = Instant.parse("2027-10-30T10:00:00Z");

    assertEquals(Instant.parse("2027-10-31T11:00:00Z"), berlin(1).attributionEndsAt(click));
    assertEquals(Instant.parse("2027-11-29T11:00:00Z"), berlin(30).attributionEndsAt(click));
  }

  @Test
  void aWindowWithoutAClockChangeIsWholeDays() {
    Instant click = Instant.parse("2027-06-01T10:00:00Z");

    assertEquals(Instant.parse("2027-07-01T10:00:00Z"), berlin(30).attributionEndsAt(click));
  }
}
