package dev.spur.allocation;

/**
 * One channel's results in one bucket of the sliding window (a day, say). Money is in the
 * campaign's minor units.
 *
 * @param spend rewards paid plus reported external spend
 * @param clicks clicks on the channel's referral links
 * @param conversions qualifying first orders attributed to the channel
 * @param revenue first-order revenue of those conversions
 * @param lifetimeValue customer lifetime value so far of those customers (first order included)
 */
public record WindowBucket(
    long spend, long clicks, long conversions, long revenue, long lifetimeValue) {

  /** A bucket with nothing in it. */
  public static final WindowBucket EMPTY = new WindowBucket(0, 0, 0, 0, 0);

  public WindowBucket {
    if (spend < 0 || clicks < 0 || conversions < 0 || revenue < 0 || lifetimeValue < 0) {
      throw new IllegalArgumentException("window figures cannot be negative");
    }
  }
}
