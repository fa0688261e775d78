package dev.spur.core.campaigns;

import java.util.List;
import java.util.Optional;

/**
 * An incentive experiment: each referrer is assigned one variant when they get their first link,
 * and keeps it. The scheduled run may move the weights new referrers are assigned by toward
 * the variant that looks best, within these guardrails.
 *
 * @param minWeightBps least weight any variant keeps
 * @param maxChangeBps most a variant's weight moves in one run
 * @param minReferrers referrers every variant needs before weights move or a winner is named
 */
public record Experiment(
    List<RewardVariant> variants, int minWeightBps, int maxChangeBps, int minReferrers) {

  public Experiment {
    variants = List.copyOf(variants);
  }

  /** The variant with that name. */
  public Optional<RewardVariant> variant(String name) {
    return variants.stream().filter(v -> v.name().equals(name)).findFirst();
  }
}
