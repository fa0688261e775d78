package dev.spur.allocation;

/**
 * The allocators Spur ships; {@link #standard()} is the one the budget function runs.
 *
 * <p>Every allocator here keeps these rules, and the tests check them on random requests:
 *
 * <ul>
 *   <li>The result has one entry per channel of the request, in the request's order, and the
 *       amounts add up to the budget exactly; fractions of a minor unit are settled by largest
 *       remainder, ties going to the earlier channel.
 *   <li>No channel gets less than it has already committed this period.
 *   <li>A disabled channel gets exactly its committed amount.
 *   <li>An enabled channel's share lies within the minimum and maximum share; it is at least the
 *       exploration floor while the channel has little data (see {@link Envelope#littleData});
 *       and when the current allocations add up to the budget, it moves from its current
 *       allocation by at most the maximum change.
 *   <li>Where committed money exceeds the maximum share or the maximum change, the committed
 *       amount wins. Any other conflict that leaves no split possible throws
 *       {@link InfeasibleGuardrailsException} naming the guardrail.
 *   <li>The same request gives the same result: any randomness comes from the request's seed.
 *   <li>Every channel's reason is one plain sentence.
 * </ul>
 */
public final class Allocators {

  private Allocators() {}

  /** The allocator the budget function runs. */
  public static Allocator standard() {
    return learning();
  }

  /**
   * Learns each channel's curve of lifetime value against spend, with diminishing returns and
   * fading memory, and samples from what it believes so that it explores what it knows little
   * of; keeps its beliefs between runs in the allocation's model state.
   */
  public static Allocator learning() {
    return learning(LearningSettings.DEFAULT);
  }

  /** The learning allocator with other settings, for tuning and comparison. */
  public static Allocator learning(LearningSettings settings) {
    return new ResponseCurveAllocator(settings);
  }

  /**
   * Proportional to each channel's lifetime value per unit of spend, shrunk toward the
   * campaign's average; no learning and no state between runs.
   */
  public static Allocator valueRatio() {
    return new ValueRatioAllocator();
  }
}
