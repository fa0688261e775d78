package dev.spur.core.lifecycle;

import dev.spur.core.money.Money;
import java.math.BigDecimal;

/**
 * What acquiring customers through one channel cost and what they brought.
 *
 * @param conversionRate conversions over clicks (four places); null without clicks
 * @param customers referred customers the channel acquired (its cohort {@code CHANNEL:<name>})
 * @param spend rewards paid plus reported external spend
 * @param cac spend over customers, rounded half up; null without customers
 * @param clv the channel cohort's net revenue per customer; null without customers
 * @param clvToCac clv over cac (two places); null when either is null or cac is zero
 */
public record ChannelMetrics(
    String channel,
    long clicks,
    long conversions,
    BigDecimal conversionRate,
    long customers,
    Money spend,
    Money cac,
    Money clv,
    BigDecimal clvToCac) {}
