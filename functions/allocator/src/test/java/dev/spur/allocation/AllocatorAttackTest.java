package dev.spur.allocation;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Attacks on the allocator's promises: exact sums and guardrails, determinism, a kept state
 * that is unreadable or hostile counting as none, and runs within one bucket drawing the same
 * curves.
 */
class AllocatorAttackTest {

  private static final Guardrails RAILS = new Guardrails(500, 8_000, 1_500, 1_000);
  private static final Allocator LEARNING = Allocators.learning();

  private static WindowBucket bucket(long spend, long conversions) {
    return new WindowBucket(spend, conversions * 10, conversions, conversions * 200,
        conversions * 500);
  }

  private static List<WindowBucket> window(long... spendThenConversions) {
    List<WindowBucket> buckets = new ArrayList<>();
    for (int i = 0; i < spendThenConversions.length; i += 2) {
      buckets.add(bucket(spendThenConversions[i], spendThenConversions[i + 1]));
    }
    return buckets;
  }

  private static long[] amounts(Allocation allocation) {
    return allocation.channels().stream().mapToLong(ChannelAllocation::amount).toArray();
  }

  private static String bucketsField(String state) {
    return state.split(";", -1)[2];
  }

  private static String entries(String state) {
    return state.split(";", -1)[3];
  }

  // ---------------------------------------------------------------------------------------
  // Reruns within a bucket, channel names, and the scale of money
  // ---------------------------------------------------------------------------------------

  @Test
  void aRerunInTheSameBucketRightAfterTheFirstRunDrawsTheSameCurves() {
    // First run on a four-bucket window, no state; then the same window again with the state it
    // returned and a new seed. No bucket has completed in between, so the draws, and with them
    // the split, must not move.
    List<ChannelWindow> channels =
        List.of(
            new ChannelWindow("ch0", true, 10_000, 0,
                window(7_000, 10, 10_000, 28, 8_000, 20, 8_000, 23)),
            new ChannelWindow("ch1", true, 10_000, 0,
                window(11_000, 14, 5_000, 6, 10_000, 25, 7_000, 14)),
            new ChannelWindow("ch2", true, 10_000, 0,
                window(9_000, 29, 5_000, 14, 8_000, 18, 7_000, 19)));
    Allocation first = LEARNING.allocate(new AllocationRequest(30_000, channels, RAILS, 7, null));
    Allocation rerun =
        LEARNING.allocate(new AllocationRequest(30_000, channels, RAILS, 8, first.modelState()));
    assertEquals(bucketsField(first.modelState()), bucketsField(rerun.modelState()));
    assertEquals(first.channels(), rerun.channels());
  }

  @Test
  void everyRerunWithinABucketOfANoisyCampaignKeepsTheSplit() {
    // A campaign carried for 30 daily buckets; after each run the function runs again on the
    // same window with the returned state and a new seed, as it does every few minutes.
    Random random = new Random(1);
    long budget = 30_000;
    int n = 3;
    long[] current = {10_000, 10_000, 10_000};
    double[] scale = {60_000, 90_000, 45_000};
    List<List<WindowBucket>> windows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      windows.add(new ArrayList<>());
    }
    String state = null;
    List<String> moved = new ArrayList<>();
    for (int run = 0; run < 30; run++) {
      List<ChannelWindow> channels = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        channels.add(new ChannelWindow("ch" + i, true, current[i], 0, windows.get(i)));
      }
      Allocation first =
          LEARNING.allocate(new AllocationRequest(budget, channels, RAILS, run, state));
      Allocation rerun =
          LEARNING.allocate(
              new AllocationRequest(budget, channels, RAILS, 1_000 + run, first.modelState()));
      if (!first.channels().equals(rerun.channels())) {
        moved.add("run " + run);
      }
      state = first.modelState();
      for (int i = 0; i < n; i++) {
        long spend = first.channels().get(i).amount();
        long value =
            Math.round(scale[i] * spend / (spend + 20_000.0) * (0.8 + 0.4 * random.nextDouble()));
        List<WindowBucket> next = new ArrayList<>(windows.get(i));
        next.add(new WindowBucket(spend, value / 50, value / 400, value / 2, value));
        windows.set(i, next);
        current[i] = spend;
      }
    }
    assertEquals(List.of(), moved, "reruns that moved the split");
  }

  @Test
  void channelsWhoseNamesShareAHashCodeKeepTheirDrawsWithinABucket() {
    // "Aa" and "BB" have the same String.hashCode(); each must keep a memory of its own.
    assertEquals("Aa".hashCode(), "BB".hashCode());
    List<ChannelWindow> channels =
        List.of(
            new ChannelWindow("Aa", true, 15_000, 0, window(10_000, 10, 12_000, 14, 9_000, 8)),
            new ChannelWindow("BB", true, 15_000, 0, window(10_000, 20, 11_000, 22, 9_000, 15)));
    Allocation first = LEARNING.allocate(new AllocationRequest(30_000, channels, RAILS, 0, null));
    Allocation rerun =
        LEARNING.allocate(new AllocationRequest(30_000, channels, RAILS, 1, first.modelState()));
    Allocation again =
        LEARNING.allocate(new AllocationRequest(30_000, channels, RAILS, 2, rerun.modelState()));
    assertEquals(first.channels(), rerun.channels());
    assertEquals(rerun.channels(), again.channels());
    assertEquals(bucketsField(first.modelState()), bucketsField(again.modelState()));
  }

  @Test
  void aStateWrittenForLargeValuesPerUnitOfSpendCanBeReadBack() {
    // Spend of one unit a bucket against a lifetime value of 10^11 (a campaign that has paid
    // almost nothing out yet): the steady filters' numbers, kept as 32-bit floats in units of
    // value, must stay finite, or the allocator would write an entry it later rejects, and
    // every rerun on the same window would count as a new bucket and draw anew.
    long budget = 1_000_000_000;
    List<ChannelWindow> channels = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      List<WindowBucket> buckets = new ArrayList<>();
      for (int j = 0; j < 3; j++) {
        buckets.add(new WindowBucket(1, 0, 10 + i + j, 50_000_000_000L, 100_000_000_000L));
      }
      channels.add(new ChannelWindow("ch" + i, true, budget / 2, 0, buckets));
    }
    Allocation first = LEARNING.allocate(new AllocationRequest(budget, channels, RAILS, 1, null));
    Allocation rerun =
        LEARNING.allocate(new AllocationRequest(budget, channels, RAILS, 2, first.modelState()));
    String written = first.modelState().contains("7f800000") ? "; state holds +Infinity" : "";
    assertEquals(
        bucketsField(first.modelState()), bucketsField(rerun.modelState()), "buckets" + written);
    assertEquals(first.channels(), rerun.channels());
    assertTrue(written.isEmpty(), written);
  }

  @Test
  void ruleAuditAcceptsAnExactAllocationOfTheLargestBudget() {
    // One channel, no guardrails, the largest budget a request takes: the only split is the
    // whole budget, and RuleAudit's shares (amounts times 10,000) must not overflow.
    long budget = AllocationRequest.MAX_AMOUNT;
    AllocationRequest request =
        new AllocationRequest(
            budget, List.of(new ChannelWindow("only", true, 0, 0, List.of())),
            Guardrails.NONE, 1, null);
    Allocation allocation = LEARNING.allocate(request);
    assertEquals(budget, allocation.channels().get(0).amount());
    assertEquals(List.of(), RuleAudit.violations(request, allocation));
  }

  @Test
  void aBudgetPastTheLargestIsRefusedAndTheLargestIsSplit() {
    // Past the largest budget, sums of the channels' ends would overflow a long: the request
    // is refused outright, naming the budget, rather than reported infeasible with a wrapped
    // negative amount. At the largest, two channels with no guardrails split it exactly.
    List<ChannelWindow> two =
        List.of(new ChannelWindow("a", true, 0, 0, List.of()),
            new ChannelWindow("b", true, 0, 0, List.of()));
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> new AllocationRequest(Long.MAX_VALUE / 2 + 1, two, Guardrails.NONE, 1, null));
    assertEquals("budget must be 0 to 100000000000000", refused.getMessage());
    long budget = AllocationRequest.MAX_AMOUNT;
    AllocationRequest request = new AllocationRequest(budget, two, Guardrails.NONE, 1, null);
    Allocation allocation = assertDoesNotThrow(() -> LEARNING.allocate(request));
    assertEquals(BigInteger.valueOf(budget), exactTotal(allocation));
    assertEquals(List.of(), RuleAudit.violations(request, allocation));
  }

  @Test
  void committedSpendBeyondTheBudgetIsInfeasibleAndBeyondTheLargestIsRefused() {
    // A commitment past the largest amount is refused with the channel, so no sum of them can
    // wrap around a long; the most a thousand channels can commit is far inside one.
    assertThrows(
        IllegalArgumentException.class,
        () -> new ChannelWindow("d", false, 0, 1L << 62, List.of()));
    List<ChannelWindow> channels = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      channels.add(new ChannelWindow("d" + i, false, 0, AllocationRequest.MAX_AMOUNT, List.of()));
    }
    channels.add(new ChannelWindow("live", true, 0, 0, List.of()));
    AllocationRequest request = new AllocationRequest(1_000, channels, Guardrails.NONE, 1, null);
    for (Allocator allocator : List.of(LEARNING, Allocators.valueRatio())) {
      InfeasibleGuardrailsException refused =
          assertThrows(InfeasibleGuardrailsException.class, () -> allocator.allocate(request));
      assertEquals(
          "committed spend 400,000,000,000,000 exceeds the budget 1,000", refused.getMessage());
    }
  }

  // ---------------------------------------------------------------------------------------
  // Hostile and stale states, and extremes of size
  // ---------------------------------------------------------------------------------------

  /** Three channels, eight buckets each, carried for a few runs; the state after them. */
  private static final class Fixture {
    final List<ChannelWindow> channels;
    final String state;

    Fixture(List<ChannelWindow> channels, String state) {
      this.channels = channels;
      this.state = state;
    }
  }

  private static Fixture fixture() {
    List<ChannelWindow> channels =
        List.of(
            new ChannelWindow("email", true, 10_000, 0,
                window(9_000, 12, 10_000, 14, 11_000, 13, 9_500, 12)),
            new ChannelWindow("social", true, 10_000, 0,
                window(8_000, 20, 12_000, 26, 10_000, 21, 11_000, 25)),
            new ChannelWindow("partners", true, 10_000, 0,
                window(12_000, 5, 9_000, 4, 10_000, 6, 8_000, 3)));
    Allocation first = LEARNING.allocate(new AllocationRequest(30_000, channels, RAILS, 3, null));
    List<ChannelWindow> later = new ArrayList<>();
    for (int i = 0; i < channels.size(); i++) {
      ChannelWindow channel = channels.get(i);
      List<WindowBucket> buckets = new ArrayList<>(channel.buckets());
      long spend = first.channels().get(i).amount();
      buckets.add(bucket(spend, spend / (600 + 300L * i)));
      later.add(new ChannelWindow(channel.channel(), true, spend, 0, buckets));
    }
    Allocation second =
        LEARNING.allocate(new AllocationRequest(30_000, later, RAILS, 4, first.modelState()));
    return new Fixture(later, second.modelState());
  }

  private static Allocation run(Fixture fixture, String state) {
    AllocationRequest request = new AllocationRequest(30_000, fixture.channels, RAILS, 11, state);
    Allocation allocation = LEARNING.allocate(request);
    assertEquals(List.of(), RuleAudit.violations(request, allocation));
    return allocation;
  }

  private static String withoutEntry(String state, int index) {
    String[] parts = state.split(";", -1);
    List<String> kept = new ArrayList<>(List.of(parts[3].split(",")));
    kept.remove(index);
    return parts[0] + ";" + parts[1] + ";" + parts[2] + ";" + String.join(",", kept);
  }

  @Test
  void stateOfTheOldVersionOrWithAnExtraFieldCountsAsNone() {
    Fixture fixture = fixture();
    Allocation none = run(fixture, null);
    assertNotEquals(none, run(fixture, fixture.state), "the kept state must matter here");
    assertEquals(none, run(fixture, "rc5" + fixture.state.substring(3)));
    assertEquals(none, run(fixture, fixture.state + ";extra"));
    assertEquals(none, run(fixture, fixture.state.substring(0, fixture.state.indexOf(';', 4))));
    assertEquals(none, run(fixture, "rc6;-1;1;"));
  }

  @Test
  void aTruncatedOrGarbledEntryCountsAsNoneForItsChannelOnly() {
    Fixture fixture = fixture();
    String state = fixture.state;
    Allocation lastDropped = run(fixture, withoutEntry(state, 2));
    assertEquals(lastDropped, run(fixture, state.substring(0, state.length() - 5)));
    // Characters outside the alphabet among the second channel's numbers.
    for (String word : new String[] {"!!!", "a+b", "%00"}) {
      String hostile = withNumber(state, 1, 4, word);
      assertEquals(run(fixture, withoutEntry(state, 1)), run(fixture, hostile), word);
    }
  }

  @Test
  void extremeKeptNumbersStillGiveAnAllocationInsideEveryGuardrail() {
    // The largest and the smallest number the state can hold, as a level, a spread, an adstock
    // and the dispersion of the second channel: squared they stay finite, so the run goes on
    // and keeps every guardrail (run() audits each allocation).
    Fixture fixture = fixture();
    int numbers = ResponseCurveAllocator.KEPT;
    for (String word : new String[] {"___", "AAB", "AAA"}) {
      for (int index : new int[] {0, 1, numbers - 6, numbers - 4}) {
        Allocation allocation = run(fixture, withNumber(fixture.state, 1, index, word));
        assertEquals(30_000, allocation.channels().stream().mapToLong(c -> c.amount()).sum());
      }
    }
  }

  /** The state with number {@code index} of channel {@code entry} written as {@code word}. */
  private static String withNumber(String state, int entry, int index, String word) {
    String[] parts = state.split(";", -1);
    String[] list = parts[3].split(",");
    String text = list[entry];
    int at = text.lastIndexOf(':') + 1 + 3 * index;
    list[entry] = text.substring(0, at) + word + text.substring(at + 3);
    return parts[0] + ";" + parts[1] + ";" + parts[2] + ";" + String.join(",", list);
  }

  @Test
  void aDisabledChannelsEntryIsCarriedUnchangedUntilItIsSwitchedBackOn() {
    Fixture fixture = fixture();
    String kept = entries(fixture.state).split(",")[1];
    String state = fixture.state;
    List<ChannelWindow> channels = fixture.channels;
    for (int run = 0; run < 5; run++) {
      List<ChannelWindow> next = new ArrayList<>();
      for (ChannelWindow channel : channels) {
        List<WindowBucket> buckets = new ArrayList<>(channel.buckets());
        boolean off = channel.channel().equals("social");
        buckets.add(off ? WindowBucket.EMPTY : bucket(14_000, 10 + run));
        next.add(new ChannelWindow(channel.channel(), !off, off ? 0 : 15_000, 0, buckets));
      }
      channels = next;
      AllocationRequest request = new AllocationRequest(30_000, channels, RAILS, run, state);
      Allocation allocation = LEARNING.allocate(request);
      assertEquals(List.of(), RuleAudit.violations(request, allocation));
      assertEquals(0, allocation.channels().get(1).amount());
      state = allocation.modelState();
      assertEquals(kept, entries(state).split(",")[1]);
    }
  }

  /** The allocation's total without overflow. */
  private static BigInteger exactTotal(Allocation allocation) {
    BigInteger total = BigInteger.ZERO;
    for (ChannelAllocation entry : allocation.channels()) {
      total = total.add(BigInteger.valueOf(entry.amount()));
    }
    return total;
  }

  @Test
  void twentyChannelsSplitTheLargestBudgetExactlyWithinEveryShare() {
    // At the largest budget a request takes, the sum must still be exact, and every share
    // within its guardrails, checked here in exact integers.
    long budget = AllocationRequest.MAX_AMOUNT;
    Guardrails rails = new Guardrails(100, 600, 10_000, 200);
    List<ChannelWindow> channels = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      long spend = budget / 40 + i * 977L;
      channels.add(
          new ChannelWindow("c" + i, true, 0, 0,
              List.of(new WindowBucket(spend, 0, 1_000 + i, spend, spend * (1 + i % 4)))));
    }
    AllocationRequest request = new AllocationRequest(budget, channels, rails, 5, null);
    Allocation allocation = LEARNING.allocate(request);
    assertEquals(BigInteger.valueOf(budget), exactTotal(allocation));
    BigInteger least = BigInteger.valueOf(budget).multiply(BigInteger.valueOf(100));
    BigInteger most = BigInteger.valueOf(budget).multiply(BigInteger.valueOf(600));
    for (ChannelAllocation entry : allocation.channels()) {
      BigInteger scaled = BigInteger.valueOf(entry.amount()).multiply(BigInteger.valueOf(10_000));
      assertTrue(scaled.compareTo(least) >= 0, entry.toString());
      assertTrue(scaled.compareTo(most) <= 0, entry.toString());
    }
    assertEquals(allocation, LEARNING.allocate(request));
  }

  @Test
  void aBudgetOfOneUnitAcrossTwentyChannelsGoesWholeToOne() {
    List<ChannelWindow> channels = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      channels.add(new ChannelWindow("c" + i, true, 0, 0,
          List.of(new WindowBucket(i, 0, i, i, i), WindowBucket.EMPTY)));
    }
    AllocationRequest request = new AllocationRequest(1, channels, Guardrails.NONE, 9, null);
    Allocation allocation = LEARNING.allocate(request);
    assertEquals(List.of(), RuleAudit.violations(request, allocation));
    assertEquals(1, allocation.channels().stream().filter(c -> c.amount() == 1).count());
    // A 1 bps exploration floor rounds up to a whole unit for every little-data channel, and
    // one unit cannot give each of twenty channels one.
    AllocationRequest floored =
        new AllocationRequest(1, channels, new Guardrails(0, 10_000, 10_000, 1), 9, null);
    assertThrows(InfeasibleGuardrailsException.class, () -> LEARNING.allocate(floored));
  }

  @Test
  void hundredsOfRunsCarryingTheStateThroughChurnAndHostileEditsKeepEveryRule() {
    // Channels join, leave, are renamed, switched off and on, the budget moves, buckets go
    // missing, revenue sometimes exceeds lifetime value, and now and then the stored state is
    // truncated, its steady numbers replaced by extreme floats, its entries duplicated, or its
    // version changed. Every run must keep the rules and replay exactly.
    Random random = new Random(42);
    String[] words = {"7f7fffff", "00000001", "ff7fffff", "80000000", "bf800000", "4b000000"};
    int checked = 0;
    for (int campaign = 0; campaign < 3; campaign++) {
      long budget = 50_000 + random.nextInt(100_000);
      List<String> names = new ArrayList<>(List.of("a", "b", "c", "d"));
      Map<String, List<WindowBucket>> windows = new HashMap<>();
      Map<String, Long> current = new HashMap<>();
      Map<String, Boolean> enabled = new HashMap<>();
      String state = null;
      for (int run = 0; run < 200; run++) {
        List<ChannelWindow> channels = new ArrayList<>();
        for (String name : names) {
          channels.add(new ChannelWindow(name, enabled.getOrDefault(name, true),
              current.getOrDefault(name, 0L), 0, windows.getOrDefault(name, List.of())));
        }
        String used = state;
        if (state != null && random.nextInt(8) == 0) {
          used = switch (random.nextInt(4)) {
            case 0 -> state.substring(0, random.nextInt(state.length()));
            case 1 -> {
              StringBuilder text = new StringBuilder(state);
              int at = text.length() - 8 * (1 + random.nextInt(30));
              text.replace(at, at + 8, words[random.nextInt(words.length)]);
              yield text.toString();
            }
            case 2 -> state + "," + entries(state);
            default -> "rc5" + state.substring(3);
          };
        }
        AllocationRequest request =
            new AllocationRequest(budget, channels, RAILS, random.nextLong(), used);
        Allocation allocation = LEARNING.allocate(request);
        assertEquals(List.of(), RuleAudit.violations(request, allocation), request.toString());
        assertEquals(allocation, LEARNING.allocate(request));
        checked++;
        state = allocation.modelState();
        for (int i = 0; i < channels.size(); i++) {
          String name = channels.get(i).channel();
          long spend = allocation.channels().get(i).amount();
          long conversions = (long) (Math.sqrt(spend) * random.nextDouble() * (1 + i) / 10);
          long revenue = conversions * (100 + random.nextInt(900));
          long value = random.nextInt(4) == 0 ? revenue / 2 : revenue * 3;
          List<WindowBucket> buckets = new ArrayList<>(windows.getOrDefault(name, List.of()));
          if (random.nextInt(15) > 0) {
            buckets.add(new WindowBucket(spend, conversions * 3, conversions, revenue, value));
          }
          if (buckets.size() > 28) {
            buckets.remove(0);
          }
          windows.put(name, buckets);
          current.put(name, spend);
        }
        switch (random.nextInt(25)) {
          case 0 -> names.remove(random.nextInt(names.size()));
          case 1 -> names.add("n" + run);
          case 2 -> {
            int i = random.nextInt(names.size());
            names.set(i, names.get(i) + "x");
          }
          case 3 -> {
            // Switched off or on, its budget starts again from nothing.
            String name = names.get(random.nextInt(names.size()));
            enabled.put(name, !enabled.getOrDefault(name, true));
            current.put(name, 0L);
          }
          case 4 -> budget = 50_000 + random.nextInt(100_000);
          default -> { }
        }
        if (names.size() < 2) {
          names.add("m" + run);
        }
        if (names.stream().noneMatch(n -> enabled.getOrDefault(n, true))) {
          enabled.put(names.get(0), true);
        }
      }
    }
    assertEquals(600, checked);
  }
}
