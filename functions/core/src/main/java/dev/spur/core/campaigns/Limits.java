package dev.spur.core.campaigns;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Limits past which a reward is held for review instead of paid. Each is off when null.
 *
 * @param rewardsPerReferrerPerPeriod most rewards one referrer earns in one budget period
 * @param conversionsPerReferrerPerHour most conversions through one referrer's links in one UTC
 *     hour before that hour's rewards look like abuse
 * @param conversionsPerDevicePerHour most conversions from one customer device in one UTC hour
 * @param conversionsPerIpPerHour conversions from one IP address in one UTC hour past which the
 *     other two limits count half; an address alone never holds a reward, since many honest
 *     customers share one (a household, an office, a mobile carrier)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Limits(
    Integer rewardsPerReferrerPerPeriod,
    Integer conversionsPerReferrerPerHour,
    Integer conversionsPerDevicePerHour,
    Integer conversionsPerIpPerHour) {

  /** No limits. */
  public static final Limits NONE = new Limits(null, null, null, null);

  /** True when any per-hour velocity limit is set. */
  public boolean countsVelocity() {
    return conversionsPerReferrerPerHour != null || conversionsPerDevicePerHour != null
        || conversionsPerIpPerHour != null;
  }
}
