package dev.spur.core.campaigns;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Limits past which a reward is held for review instead of paid. Each is off when null.
 *
 * @param rewardsPerReferrerPerPeriod most rewards one referrer earns in one budget period
 * @param conversionsPerReferrerPerHour most conversions through one referrer's links in one UTC
 *     hour before that hour's rewards look like abuse
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Limits(Integer rewardsPerReferrerPerPeriod, Integer conversionsPerReferrerPerHour) {

  /** No limits. */
  public static final Limits NONE = new Limits(null, null);
}
