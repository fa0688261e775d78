package dev.spur.allocation;

import java.util.List;
import java.util.Locale;

/**
 * The range of amounts each channel may receive under a request's guardrails and commitments,
 * in whole minor units; every allocator chooses a point inside it.
 *
 * <p>Shares are turned into amounts so that integer amounts inside the range always satisfy the
 * share in basis points exactly: a minimum or floor rounds up, a maximum or a step limit rounds
 * down. Money already committed wins over the maximum share and the maximum change; every other
 * conflict makes the request infeasible.
 */
public final class Envelope {

  /** Why a channel's lower or upper end sits where it does. */
  public enum Limit {
    /** Money already spent this period. */
    COMMITTED("committed"),
    /** The campaign's minimum share per channel. */
    MIN_SHARE("min share"),
    /** The share guaranteed to a channel the campaign knows little about. */
    EXPLORATION_FLOOR("exploration floor"),
    /** The campaign's maximum share per channel. */
    MAX_SHARE("max share"),
    /** The campaign's maximum change per run. */
    MAX_CHANGE("max change"),
    /** The channel is switched off. */
    DISABLED("disabled"),
    /** Nothing limits the channel from this side but the budget itself. */
    BUDGET("budget");

    private final String words;

    Limit(String words) {
      this.words = words;
    }

    /** The limit in a marketer's words. */
    public String words() {
      return words;
    }
  }

  /** Conversions a channel's spend must be worth, at the campaign's cost, to count as known. */
  public static final int EVIDENCE_CONVERSIONS = 5;

  private final long budget;
  private final long[] lower;
  private final long[] upper;
  private final Limit[] lowerLimit;
  private final Limit[] upperLimit;
  private final boolean[] littleData;
  private final boolean changeLimited;

  private Envelope(
      long budget,
      long[] lower,
      long[] upper,
      Limit[] lowerLimit,
      Limit[] upperLimit,
      boolean[] littleData,
      boolean changeLimited) {
    this.budget = budget;
    this.lower = lower;
    this.upper = upper;
    this.lowerLimit = lowerLimit;
    this.upperLimit = upperLimit;
    this.littleData = littleData;
    this.changeLimited = changeLimited;
  }

  /**
   * Works out every channel's range for a request.
   *
   * @throws InfeasibleGuardrailsException when no split of the budget fits the ranges; the
   *     message names the guardrail that makes it so
   */
  public static Envelope of(AllocationRequest request) {
    long budget = request.budget();
    Guardrails rails = request.guardrails();
    List<ChannelWindow> channels = request.channels();
    int n = channels.size();

    long minAmount = shareOf(budget, rails.minShareBps(), true);
    long maxAmount = shareOf(budget, rails.maxShareBps(), false);
    long floorAmount = shareOf(budget, rails.explorationFloorBps(), true);
    long step = shareOf(budget, rails.maxChangeBps(), false);
    boolean changeLimited = currentTotal(channels) == budget;
    boolean[] little = littleData(channels);

    long[] lower = new long[n];
    long[] upper = new long[n];
    Limit[] lowerLimit = new Limit[n];
    Limit[] upperLimit = new Limit[n];
    // Sums of the lower ends as each guardrail is added, to name the one that overflows.
    long[] lowerStages = new long[4];
    // Sums of the upper ends with the share cap only, then with the step limit too.
    long[] upperStages = new long[2];
    int enabled = 0;
    for (int i = 0; i < n; i++) {
      ChannelWindow channel = channels.get(i);
      long committed = channel.committed();
      if (!channel.enabled()) {
        lower[i] = committed;
        upper[i] = committed;
        lowerLimit[i] = Limit.DISABLED;
        upperLimit[i] = Limit.DISABLED;
        for (int s = 0; s < lowerStages.length; s++) {
          lowerStages[s] += committed;
        }
        upperStages[0] += committed;
        upperStages[1] += committed;
        continue;
      }
      enabled++;
      long current = channel.currentAllocation();

      long lo = committed;
      Limit loWhy = Limit.COMMITTED;
      lowerStages[0] += lo;
      if (minAmount > lo) {
        lo = minAmount;
        loWhy = Limit.MIN_SHARE;
      }
      lowerStages[1] += lo;
      if (little[i] && floorAmount > lo) {
        lo = floorAmount;
        loWhy = Limit.EXPLORATION_FLOOR;
      }
      lowerStages[2] += lo;
      if (changeLimited && current - step > lo) {
        lo = current - step;
        loWhy = Limit.MAX_CHANGE;
      }
      lowerStages[3] += lo;

      long hi = maxAmount;
      Limit hiWhy = maxAmount >= budget ? Limit.BUDGET : Limit.MAX_SHARE;
      upperStages[0] += Math.max(hi, committed);
      if (changeLimited && current + step < hi) {
        hi = current + step;
        hiWhy = Limit.MAX_CHANGE;
      }
      if (committed > hi) {
        // Money paid out cannot be taken back, so it overrides the cap and the step limit.
        hi = committed;
        hiWhy = Limit.COMMITTED;
      }
      upperStages[1] += hi;

      if (lo > hi) {
        throw new InfeasibleGuardrailsException(
            String.format(
                Locale.ROOT,
                "channel %s needs at least %,d for its %s but may get at most %,d under its %s",
                channel.channel(),
                lo,
                loWhy.words(),
                hi,
                hiWhy.words()));
      }
      lower[i] = lo;
      upper[i] = hi;
      lowerLimit[i] = loWhy;
      upperLimit[i] = hiWhy;
    }

    checkLowerEnds(budget, rails, lowerStages, enabled);
    checkUpperEnds(budget, rails, upperStages, enabled);
    return new Envelope(budget, lower, upper, lowerLimit, upperLimit, little, changeLimited);
  }

  private static void checkLowerEnds(
      long budget, Guardrails rails, long[] stages, int enabled) {
    if (stages[0] > budget) {
      throw new InfeasibleGuardrailsException(
          String.format(
              Locale.ROOT,
              "committed spend %,d exceeds the budget %,d",
              stages[0],
              budget));
    }
    String[] names = {"committed", "minShareBps", "explorationFloorBps", "maxChangeBps"};
    int[] values = {
      0, rails.minShareBps(), rails.explorationFloorBps(), rails.maxChangeBps()
    };
    for (int s = 1; s < stages.length; s++) {
      if (stages[s] > budget) {
        throw new InfeasibleGuardrailsException(
            String.format(
                Locale.ROOT,
                "%s %d across %d enabled channels needs %,d of a budget of %,d",
                names[s],
                values[s],
                enabled,
                stages[s],
                budget));
      }
    }
  }

  private static void checkUpperEnds(
      long budget, Guardrails rails, long[] stages, int enabled) {
    if (enabled == 0 && stages[1] < budget) {
      throw new InfeasibleGuardrailsException(
          String.format(
              Locale.ROOT,
              "every channel is disabled, leaving %,d of the budget %,d with nowhere to go",
              budget - stages[1],
              budget));
    }
    if (stages[0] < budget) {
      throw new InfeasibleGuardrailsException(
          String.format(
              Locale.ROOT,
              "maxShareBps %d across %d enabled channels holds only %,d of a budget of %,d",
              rails.maxShareBps(),
              enabled,
              stages[0],
              budget));
    }
    if (stages[1] < budget) {
      throw new InfeasibleGuardrailsException(
          String.format(
              Locale.ROOT,
              "maxChangeBps %d lets the channels hold only %,d of a budget of %,d this run",
              rails.maxChangeBps(),
              stages[1],
              budget));
    }
  }

  /**
   * Whether each channel's window holds too little evidence to judge it: its spend is worth
   * fewer than {@link #EVIDENCE_CONVERSIONS} conversions at the campaign's cost per conversion,
   * or the campaign has no conversion or no spend to compare with.
   */
  public static boolean[] littleData(List<ChannelWindow> channels) {
    // In doubles: a long window of large figures may pass what a long holds, and the test
    // below needs no exactness.
    double totalSpend = 0;
    double totalConversions = 0;
    double[] spend = new double[channels.size()];
    for (int i = 0; i < channels.size(); i++) {
      for (WindowBucket bucket : channels.get(i).buckets()) {
        spend[i] += bucket.spend();
        totalConversions += bucket.conversions();
      }
      totalSpend += spend[i];
    }
    boolean[] little = new boolean[channels.size()];
    for (int i = 0; i < little.length; i++) {
      little[i] =
          totalConversions == 0
              || totalSpend == 0
              || spend[i] * totalConversions < EVIDENCE_CONVERSIONS * totalSpend;
    }
    return little;
  }

  /**
   * The amount a share of the budget stands for, exactly, without overflow.
   *
   * @param roundUp true for a lower limit, false for an upper one
   */
  static long shareOf(long budget, int bps, boolean roundUp) {
    long whole = budget / 10_000;
    long rest = budget % 10_000;
    long product = rest * bps;
    long amount = whole * bps + product / 10_000;
    if (roundUp && product % 10_000 != 0) {
      amount++;
    }
    return amount;
  }

  private static long currentTotal(List<ChannelWindow> channels) {
    long total = 0;
    for (ChannelWindow channel : channels) {
      total += channel.currentAllocation();
      if (total < 0) {
        return Long.MAX_VALUE;
      }
    }
    return total;
  }

  /** The budget the ranges were computed for. */
  public long budget() {
    return budget;
  }

  /** How many channels there are. */
  public int size() {
    return lower.length;
  }

  /** The least amount channel {@code i} may get. */
  public long lower(int i) {
    return lower[i];
  }

  /** The greatest amount channel {@code i} may get. */
  public long upper(int i) {
    return upper[i];
  }

  /** What sets channel {@code i}'s lower end. */
  public Limit lowerLimit(int i) {
    return lowerLimit[i];
  }

  /** What sets channel {@code i}'s upper end. */
  public Limit upperLimit(int i) {
    return upperLimit[i];
  }

  /** Whether the campaign knows too little of channel {@code i} to judge it. */
  public boolean littleData(int i) {
    return littleData[i];
  }

  /** Whether this run's change per channel is limited, i.e. the current split sums up. */
  public boolean changeLimited() {
    return changeLimited;
  }

  /**
   * The whole amounts nearest to a wished-for split (in squared distance, before rounding) that
   * add up to the budget inside every range.
   */
  public long[] nearest(double[] wish) {
    double[] point = BoxProjection.project(wish, lower, upper, budget);
    return LargestRemainder.apportion(point, lower, upper, budget);
  }

  /** A copy of every lower end. */
  public long[] lowers() {
    return lower.clone();
  }

  /** A copy of every upper end. */
  public long[] uppers() {
    return upper.clone();
  }
}
