package dev.spur.core.campaigns;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;

/**
 * How long one budget lasts. Periods are cut in the campaign's time zone, so a monthly budget
 * renews at local midnight on the first, not at midnight UTC.
 */
public enum BudgetPeriod {
  DAY,
  WEEK,
  MONTH,
  /** One budget for the campaign's whole life. */
  TOTAL;

  /** The id of the period an instant falls in, such as {@code 2027-03} for a month. */
  public String idAt(Instant instant, ZoneId zone) {
    ZonedDateTime local = instant.atZone(zone);
    return switch (this) {
      case DAY -> local.toLocalDate().toString();
      case WEEK ->
          String.format(
              "%d-W%02d",
              local.get(IsoFields.WEEK_BASED_YEAR), local.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
      case MONTH -> String.format("%d-%02d", local.getYear(), local.getMonthValue());
      case TOTAL -> "ALL";
    };
  }
}
