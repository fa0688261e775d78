package dev.spur.core.events;

/** The detail types Spur publishes. */
public final class EventTypes {

  public static final String REFERRAL_LINK_CREATED = "ReferralLinkCreated";
  public static final String CONVERSION_RECORDED = "ConversionRecorded";
  public static final String REWARD_ISSUED = "RewardIssued";
  public static final String REWARD_DECLINED = "RewardDeclined";
  public static final String REWARD_HELD = "RewardHeld";
  public static final String REWARD_APPROVED = "RewardApproved";
  public static final String REWARD_PAYOUT_APPROVED = "RewardPayoutApproved";
  public static final String REWARD_CLAWED_BACK = "RewardClawedBack";
  public static final String MILESTONE_REACHED = "MilestoneReached";
  public static final String TIER_CHANGED = "TierChanged";
  public static final String BUDGET_REALLOCATED = "BudgetReallocated";
  public static final String VARIANT_WEIGHTS_CHANGED = "VariantWeightsChanged";

  // Customer lifecycle: every order, first or repeat, and every refund of one.
  public static final String ORDER_RECORDED = "OrderRecorded";
  public static final String ORDER_REFUNDED = "OrderRefunded";

  private EventTypes() {}
}
