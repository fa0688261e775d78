package dev.spur.core.stats;

/** The counters kept per campaign and channel, as attribute names. */
public enum Counter {
  CLICKS("clicks"),
  CONVERSIONS("conversions"),
  REVENUE("revenue"),
  LIFETIME_VALUE("lifetimeValue"),
  REWARDS_ISSUED("rewardsIssued"),
  REWARDS_DECLINED("rewardsDeclined"),
  REWARDS_HELD("rewardsHeld"),
  REWARDS_CLAWED_BACK("rewardsClawedBack"),
  REWARD_SPEND("rewardSpend"),
  EXTERNAL_SPEND("externalSpend");

  private final String attribute;

  Counter(String attribute) {
    this.attribute = attribute;
  }

  /** The attribute that holds the counter. */
  public String attribute() {
    return attribute;
  }
}
