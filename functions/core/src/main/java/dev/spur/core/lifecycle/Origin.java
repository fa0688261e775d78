package dev.spur.core.lifecycle;

/** How a customer came to a campaign; fixed by their first order. */
public enum Origin {
  /** Through a referral link: their first order was a recorded conversion. */
  REFERRED,
  /** On their own: their first order came without a referral. */
  NOT_REFERRED
}
