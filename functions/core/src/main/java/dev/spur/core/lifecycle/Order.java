package dev.spur.core.lifecycle;

import dev.spur.core.money.Money;
import java.time.Instant;

/**
 * One order of a customer, first or repeat, with what was refunded of it so far.
 *
 * @param orderedAtStated false when the caller left the order time out and Spur took the time it
 *     recorded the order; a later report of the same order may then name any time
 * @param refunded minor units refunded so far, never more than the amount
 * @param conversion true when the order came in as a referral's qualifying order
 */
public record Order(
    String campaignId,
    String orderId,
    String customerId,
    Money amount,
    Instant orderedAt,
    boolean orderedAtStated,
    long refunded,
    boolean conversion,
    Instant recordedAt) {

  /** True when a second report of this order with these figures is the same order. */
  public boolean sameAs(String otherCustomerId, Money otherAmount, Instant otherOrderedAt) {
    return customerId.equals(otherCustomerId)
        && amount.equals(otherAmount)
        && (!orderedAtStated || orderedAt.equals(otherOrderedAt));
  }
}
