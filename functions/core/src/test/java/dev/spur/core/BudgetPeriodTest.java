package dev.spur.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spur.core.campaigns.BudgetPeriod;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class BudgetPeriodTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @Test
  void periodsAreCutAtMidnightInTheCampaignsTimeZone() {
    Instant lastHourOfMarchUtc = Instant.parse("2027-03-31T22:30:00Z");

    assertEquals("2027-04", BudgetPeriod.MONTH.idAt(lastHourOfMarchUtc, BERLIN));
    assertEquals("2027-03", BudgetPeriod.MONTH.idAt(lastHourOfMarchUtc, ZoneId.of("UTC")));
    assertEquals("2027-04-01", BudgetPeriod.DAY.idAt(lastHourOfMarchUtc, BERLIN));
  }

  @Test
  void weeksAreIsoWeeksAndTotalIsOnePeriod() {
    assertEquals("2027-W01", BudgetPeriod.WEEK.idAt(Instant.parse("2027-01-04T12:00:00Z"),
        BERLIN));
    assertEquals("2026-W53", BudgetPeriod.WEEK.idAt(Instant.parse("2027-01-03T12:00:00Z"),
        BERLIN));
    assertEquals("ALL", BudgetPeriod.TOTAL.idAt(Instant.parse("2027-01-03T12:00:00Z"), BERLIN));
  }

  @Test
  void theShortDayOfSummerTimeIsOneDay() {
    Instant beforeSwitch = Instant.parse("2027-03-27T23:30:00Z");
    Instant afterSwitch = Instant.parse("2027-03-28T21:59:00Z");

    assertEquals("2027-03-28", BudgetPeriod.DAY.idAt(beforeSwitch, BERLIN));
    assertEquals("2027-03-28", BudgetPeriod.DAY.idAt(afterSwitch, BERLIN));
    assertEquals("2027-03-29", BudgetPeriod.DAY.idAt(Instant.parse("2027-03-28T22:00:00Z"),
        BERLIN));
  }
}
