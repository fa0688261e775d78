package dev.spur.allocation;

/**
 * How the learning allocator weighs old results against new ones and how it decides.
 *
 * @param quickHalfLife buckets after which a result counts half as much, for a channel that
 *     changes quickly
 * @param slowHalfLife the same for a channel that changes slowly; each channel's results decide
 *     which of the two describes it better
 * @param shapeMemory the share of its weight a bucket's evidence about a curve's shape keeps
 *     per later bucket, from 0 (forget at once) to below 1 (remember for ever)
 * @param steps grid steps of the free budget the optimiser searches
 * @param samples posterior draws averaged into each channel's curve every run: 1 is plain
 *     Thompson sampling, more explore less boldly and move less between runs
 */
public record LearningSettings(
    double quickHalfLife, double slowHalfLife, double shapeMemory, int steps, int samples) {

  /** The settings {@link Allocators#learning()} runs with. */
  public static final LearningSettings DEFAULT = new LearningSettings(2, 15, 0.998, 60, 3);

  public LearningSettings {
    if (!(quickHalfLife > 0) || !(slowHalfLife > 0)) {
      throw new IllegalArgumentException("half-lives must be positive");
    }
    if (!(shapeMemory >= 0 && shapeMemory < 1)) {
      throw new IllegalArgumentException("shapeMemory must be in [0, 1)");
    }
    if (steps < 1 || samples < 1) {
      throw new IllegalArgumentException("steps and samples must be at least 1");
    }
  }
}
