package dev.spur.core.campaigns;

/** The kinds of reward a campaign pays. */
public enum RewardType {
  /** Money paid out to the customer. */
  CASH,
  /** Store credit on the customer's account. */
  CREDIT,
  /** A discount on an order. */
  DISCOUNT,
  /** Loyalty points; they cost nothing from the cash budget. */
  POINTS;

  /** True when the reward spends money from the campaign's budget. */
  public boolean spendsBudget() {
    return this != POINTS;
  }
}
