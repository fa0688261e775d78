package dev.spur.core.campaigns;

import dev.spur.allocation.Guardrails;
import dev.spur.core.money.Money;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A referral campaign: who earns what, through which channels, within which budget. Fixed once
 * created, but for its status.
 *
 * @param endsAt when the campaign stops accepting links and conversions, or null for never
 * @param limits when rewards are held for review; campaigns made before limits existed read as
 *     {@link Limits#NONE}
 * @param program points, tiers and milestones; {@link Program#NONE} when absent
 * @param holdDays days a paid reward stays pending, open to clawback by a refund of its order,
 *     before it is approved for payout (0 to 90; 0 pays at once)
 * @param experiment reward variants tested against each other, or null for none
 */
public record Campaign(
    String id,
    String name,
    String currency,
    String timeZone,
    String landingUrl,
    List<String> channels,
    RewardRule referrerReward,
    RewardRule refereeReward,
    int attributionWindowDays,
    Money budget,
    BudgetPeriod period,
    Guardrails guardrails,
    Instant createdAt,
    Instant endsAt,
    Limits limits,
    Program program,
    int holdDays,
    Experiment experiment) {

  public Campaign {
    channels = List.copyOf(channels);
    limits = limits == null ? Limits.NONE : limits;
    program = program == null ? Program.NONE : program;
  }

  /** The same campaign created at another instant. */
  public Campaign withCreatedAt(Instant instant) {
    return new Campaign(id, name, currency, timeZone, landingUrl, channels, referrerReward,
        refereeReward, attributionWindowDays, budget, period, guardrails, instant, endsAt, limits,
        program, holdDays, experiment);
  }

  /** The referrer's reward for a referrer in that experiment variant (null for none). */
  public RewardRule referrerRewardIn(String variant) {
    if (experiment == null || variant == null) {
      return referrerReward;
    }
    return experiment.variant(variant).map(RewardVariant::referrerReward).orElse(referrerReward);
  }

  /** The referred customer's reward for a referrer in that experiment variant. */
  public RewardRule refereeRewardIn(String variant) {
    if (experiment == null || variant == null) {
      return refereeReward;
    }
    return experiment.variant(variant).map(RewardVariant::refereeReward).orElse(refereeReward);
  }

  /**
   * When a reward settled at that instant is approved for payout: the same local time
   * {@code holdDays} calendar days later in the campaign's time zone, to the second.
   */
  public Instant payoutAt(Instant settledAt) {
    return settledAt.truncatedTo(ChronoUnit.SECONDS).atZone(zone()).plusDays(holdDays)
        .toInstant();
  }

  /** The campaign's time zone. */
  public ZoneId zone() {
    return ZoneId.of(timeZone);
  }

  /** The budget period an instant falls in. */
  public String periodAt(Instant instant) {
    return period.idAt(instant, zone());
  }

  /** How long after a click an order still counts as referred, at most (days of 25 hours). */
  public Duration attributionWindow() {
    return Duration.ofDays(attributionWindowDays).plusHours(1);
  }

  /**
   * The last instant an order after a click at {@code clickedAt} still counts as referred: the
   * same local time, {@code attributionWindowDays} calendar days later in the campaign's time
   * zone, so a window across a clock change is a day of 23 or 25 hours longer, not 24.
   */
  public Instant attributionEndsAt(Instant clickedAt) {
    return clickedAt.atZone(zone()).plusDays(attributionWindowDays).toInstant();
  }

  /** True when the campaign no longer takes links or conversions at that instant. */
  public boolean endedAt(Instant instant) {
    return endsAt != null && !instant.isBefore(endsAt);
  }

  /** True when the channel belongs to this campaign. */
  public boolean hasChannel(String channel) {
    return channels.contains(channel);
  }
}
