package dev.spur.core.campaigns;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.spur.core.money.Money;

/**
 * What one side of a referral earns. A fixed {@code amount} (minor units, or points for
 * {@link RewardType#POINTS}), or {@code percentBps} of the qualifying order rounded half up.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RewardRule(RewardType type, Long amount, Long percentBps) {

  /** The reward's value for an order: money for cash, credit and discount; points otherwise. */
  public long valueFor(Money order) {
    if (percentBps != null) {
      return order.basisPoints(percentBps).amount();
    }
    return amount;
  }

  /** What this reward costs the budget for an order, in minor units. */
  public long costFor(Money order) {
    return type.spendsBudget() ? valueFor(order) : 0L;
  }
}
