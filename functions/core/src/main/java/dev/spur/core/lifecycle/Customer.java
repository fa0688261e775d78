package dev.spur.core.lifecycle;

import dev.spur.core.stats.ChannelStats;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A customer of one campaign as the lifecycle ledger keeps them: where they came from (fixed by
 * their first order), how much they bought and their standing satisfaction score.
 *
 * @param channel the referral link's channel; null when not referred
 * @param variant the referral link's reward variant; null when it had none
 * @param orders how many orders they placed
 * @param retainedOn the UTC day of their earliest order at least 365 days after the first one,
 *     or null while they have none
 * @param feedbackId the feedback that holds their standing score, or null without one
 * @param score their standing score 1 to 5, or 0 without one
 * @param feedbackAt when that feedback was submitted, or null
 */
public record Customer(
    String campaignId,
    String customerId,
    Origin origin,
    String channel,
    String variant,
    Instant firstOrderAt,
    long orders,
    long netRevenue,
    LocalDate retainedOn,
    String feedbackId,
    int score,
    Instant feedbackAt) {

  /** The cohort everyone is in. */
  public static final String ALL = "ALL";

  /** A customer whose first order is being recorded now. */
  public static Customer first(
      String campaignId, String customerId, Origin origin, String channel, String variant,
      Instant orderedAt) {
    return new Customer(
        campaignId, customerId, origin, channel, variant, orderedAt, 0, 0, null, null, 0, null);
  }

  /** The cohort of every customer referred through a channel. */
  public static String channelCohort(String channel) {
    return "CHANNEL:" + channel;
  }

  /** The cohort of every customer referred through a link of a reward variant. */
  public static String variantCohort(String variant) {
    return "VARIANT:" + variant;
  }

  /** The cohorts this customer counts in: ALL, their origin, and their channel and variant. */
  public List<String> cohorts() {
    List<String> cohorts = new ArrayList<>();
    cohorts.add(ALL);
    cohorts.add(origin.name());
    if (channel != null) {
      cohorts.add(channelCohort(channel));
    }
    if (variant != null) {
      cohorts.add(variantCohort(variant));
    }
    return cohorts;
  }

  /** The UTC day of the first order. */
  public LocalDate firstOrderDay() {
    return ChannelStats.dayOf(firstOrderAt);
  }
}
