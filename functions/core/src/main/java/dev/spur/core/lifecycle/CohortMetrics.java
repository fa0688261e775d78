package dev.spur.core.lifecycle;

import dev.spur.core.money.Money;
import java.math.BigDecimal;

/**
 * The lifecycle figures of one cohort of a campaign's customers.
 *
 * @param cohort {@code ALL}, {@code REFERRED}, {@code NOT_REFERRED}, {@code CHANNEL:<channel>}
 *     or {@code VARIANT:<variant>}
 * @param netRevenue what the cohort's orders came to, less refunds
 * @param clv net revenue per customer, rounded half up to the minor unit; null without customers
 * @param repeatOrderShare the share of orders that were not a customer's first (0 to 1, four
 *     places); null without orders
 * @param retentionEligible customers whose first order's UTC day is at least 365 days before the
 *     as-of day
 * @param retained those of them with an order on a UTC day at least 365 days after the first
 *     order's, on or before the as-of day
 * @param retention365 retained over eligible (0 to 1, four places); null without eligible ones
 * @param csatResponses customers with a standing feedback score
 * @param csat the share of those scores that are 4 or 5, in percent (two places); null without
 *     responses
 * @param meanScore the mean standing score (two places); null without responses
 */
public record CohortMetrics(
    String cohort,
    long customers,
    long orders,
    Money netRevenue,
    Money clv,
    BigDecimal repeatOrderShare,
    long retentionEligible,
    long retained,
    BigDecimal retention365,
    long csatResponses,
    BigDecimal csat,
    BigDecimal meanScore) {}
