package dev.spur.core.experiments;

/** What an experiment's results call for: keep one variant, or keep testing. */
public sealed interface Decision {

  /** Why, in one sentence for the campaign's owner. */
  String reason();

  /**
   * One variant is best with enough certainty and every variant has enough referrers.
   *
   * @param variant the winning variant's name
   * @param probabilityBest its posterior probability of being best
   * @param reason why, in one sentence
   */
  record Winner(String variant, double probabilityBest, String reason) implements Decision {}

  /**
   * The data do not yet settle the experiment.
   *
   * @param reason what is missing: referrers, certainty or both
   */
  record KeepTesting(String reason) implements Decision {}
}
