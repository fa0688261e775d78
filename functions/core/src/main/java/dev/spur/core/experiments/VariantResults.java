package dev.spur.core.experiments;

/**
 * What one variant has brought so far: referrers assigned to it, their referred customers'
 * conversions, the rewards paid for them and those customers' lifetime value.
 *
 * @param variant the variant's name
 * @param referrers referrers assigned to the variant
 * @param conversions conversions of the customers those referrers brought
 * @param rewardCost rewards paid for those conversions, in minor units
 * @param clvRevenue lifetime revenue of the converted customers so far, in minor units
 */
public record VariantResults(
    String variant, long referrers, long conversions, long rewardCost, long clvRevenue) {

  public VariantResults {
    Variant.checkName(variant);
    checkNotNegative(variant, "referrers", referrers);
    checkNotNegative(variant, "conversions", conversions);
    checkNotNegative(variant, "rewardCost", rewardCost);
    checkNotNegative(variant, "clvRevenue", clvRevenue);
  }

  private static void checkNotNegative(String variant, String field, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(
          "variant " + variant + ": " + field + " " + value + " must not be negative");
    }
  }
}
