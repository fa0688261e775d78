package dev.spur.allocation;

/**
 * Limits a campaign sets on how its budget may be split, in basis points of the budget
 * (10,000 = 100%).
 *
 * @param minShareBps least share of the budget any enabled channel gets
 * @param maxShareBps greatest share of the budget any channel gets
 * @param maxChangeBps greatest change of one channel's allocation in one run, as a share of
 *     the budget; applies only when the current allocations already add up to the budget
 * @param explorationFloorBps least share an enabled channel with little data gets, so that it is
 *     explored rather than starved
 */
public record Guardrails(
    int minShareBps, int maxShareBps, int maxChangeBps, int explorationFloorBps) {

  /** Guardrails that leave the allocator free: no minimum, no maximum, no step limit. */
  public static final Guardrails NONE = new Guardrails(0, 10_000, 10_000, 0);

  public Guardrails {
    checkShare("minShareBps", minShareBps);
    checkShare("maxShareBps", maxShareBps);
    checkShare("maxChangeBps", maxChangeBps);
    checkShare("explorationFloorBps", explorationFloorBps);
    if (minShareBps > maxShareBps) {
      throw new IllegalArgumentException("minShareBps cannot exceed maxShareBps");
    }
  }

  private static void checkShare(String name, int value) {
    if (value < 0 || value > 10_000) {
      throw new IllegalArgumentException(name + " must be between 0 and 10000");
    }
  }
}
