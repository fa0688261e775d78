package dev.spur.bench;

/**
 * How one simulated channel really responds in one period: a Hill curve of conversions against
 * adstocked spend, and skewed order values and lifetimes per conversion.
 *
 * @param maxConversions conversions per period the channel approaches as spend grows
 * @param halfSaturation adstocked spend at which it gives half of them
 * @param exponent the Hill exponent: 1 is concave throughout, above 1 is an S-curve
 * @param carryover the share of a period's adstock that carries into the next
 * @param orderValue mean first-order value per conversion, in minor units
 * @param orderSpread log-normal spread of order values
 * @param repeatOrders mean number of further orders per customer over its lifetime
 * @param dispersion coefficient of variation of a per-period shock to the conversion rate;
 *     0 leaves conversions Poisson
 */
record ChannelTruth(
    double maxConversions,
    double halfSaturation,
    double exponent,
    double carryover,
    double orderValue,
    double orderSpread,
    double repeatOrders,
    double dispersion) {

  /** Expected conversions in a period whose adstocked spend is {@code adstock}. */
  double conversions(double adstock) {
    if (adstock <= 0) {
      return 0;
    }
    double r = adstock / halfSaturation;
    double p = exponent == 1.0 ? r : Math.pow(r, exponent);
    return maxConversions * p / (1 + p);
  }

  /** Expected lifetime value of one conversion, first order included. */
  double valuePerConversion() {
    return orderValue * (1 + repeatOrders);
  }

  /** Expected lifetime value bought in a period with the given adstocked spend. */
  double value(double adstock) {
    return conversions(adstock) * valuePerConversion();
  }

  /** What one more unit of adstock would add to {@link #value} at {@code adstock}. */
  double marginalValue(double adstock) {
    if (adstock < 0) {
      return 0;
    }
    double r = adstock / halfSaturation;
    double p = exponent == 1.0 ? r : Math.pow(r, exponent);
    // The Hill curve's slope written with r^(exponent - 1), which stays finite at zero spend.
    double rising = exponent == 1.0 ? 1 : Math.pow(r, exponent - 1);
    double slope = maxConversions * exponent * rising / (halfSaturation * (1 + p) * (1 + p));
    return slope * valuePerConversion();
  }

  /** The same channel with its reach multiplied by {@code factor}. */
  ChannelTruth scaled(double factor) {
    return new ChannelTruth(
        maxConversions * factor,
        halfSaturation,
        exponent,
        carryover,
        orderValue,
        orderSpread,
        repeatOrders,
        dispersion);
  }

  /** The same channel with its half-saturation spend multiplied by {@code factor}. */
  ChannelTruth stretched(double factor) {
    return new ChannelTruth(
        maxConversions,
        halfSaturation * factor,
        exponent,
        carryover,
        orderValue,
        orderSpread,
        repeatOrders,
        dispersion);
  }

  /** The same channel with its customers' repeat orders multiplied by {@code factor}. */
  ChannelTruth loyal(double factor) {
    return new ChannelTruth(
        maxConversions,
        halfSaturation,
        exponent,
        carryover,
        orderValue,
        orderSpread,
        repeatOrders * factor,
        dispersion);
  }

  /** The same channel with noisier conversions and more skewed order values. */
  ChannelTruth noisier(double dispersion, double orderSpread) {
    return new ChannelTruth(
        maxConversions,
        halfSaturation,
        exponent,
        carryover,
        orderValue,
        orderSpread,
        repeatOrders,
        dispersion);
  }
}
