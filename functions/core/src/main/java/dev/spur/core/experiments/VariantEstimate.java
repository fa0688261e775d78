package dev.spur.core.experiments;

/**
 * What the comparison concludes about one variant. Values are in minor units; a variant's value
 * per referrer is its conversion rate times its net value (lifetime revenue less reward cost)
 * per conversion.
 *
 * @param variant the variant's name
 * @param referrers referrers assigned to it
 * @param conversionRate posterior mean of conversions per referrer
 * @param valuePerConversion estimated mean net value of one conversion
 * @param valuePerReferrer posterior mean of net value per referrer
 * @param probabilityBest posterior probability that its value per referrer is the highest
 * @param expectedLoss expected value per referrer given up by choosing it: the posterior mean of
 *     the best variant's value less this one's, never negative
 */
public record VariantEstimate(
    String variant,
    long referrers,
    double conversionRate,
    double valuePerConversion,
    double valuePerReferrer,
    double probabilityBest,
    double expectedLoss) {}
