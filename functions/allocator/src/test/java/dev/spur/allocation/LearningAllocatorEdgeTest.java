package dev.spur.allocation;

import static dev.spur.allocation.StateText.entry;
import static dev.spur.allocation.StateText.field;
import static dev.spur.allocation.StateText.withoutEntry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The learning allocator at the edges of what it reads: windows with odd or enormous figures,
 * channels whose unit of activity changes, hostile states, and the largest requests.
 */
class LearningAllocatorEdgeTest {

  private static final Allocator LEARNING = Allocators.learning();
  private static final Guardrails RAILS = new Guardrails(500, 8_000, 1_500, 1_000);

  private static final WindowBucket STEADY = new WindowBucket(10_000, 200, 5, 1_000, 2_000);
  private static final WindowBucket BUSIER = new WindowBucket(12_000, 230, 6, 1_100, 2_300);

  /** Kept number {@code index} of a channel's entry, as the entry writes it. */
  private static String number(String entry, int index) {
    int at = entry.lastIndexOf(':') + 1 + 3 * index;
    return entry.substring(at, at + 3);
  }

  /** The unit a channel is learnt in, as its entry writes it. */
  private static String unit(String entry) {
    return number(entry, ResponseCurveAllocator.UNIT);
  }

  private static Allocation allocate(long budget, List<ChannelWindow> channels, long seed,
      String state) {
    return allocate(budget, channels, RAILS, seed, state);
  }

  private static Allocation allocate(long budget, List<ChannelWindow> channels,
      Guardrails rails, long seed, String state) {
    AllocationRequest request = new AllocationRequest(budget, channels, rails, seed, state);
    Allocation allocation = LEARNING.allocate(request);
    assertEquals(List.of(), RuleAudit.violations(request, allocation));
    return allocation;
  }

  // ---------------------------------------------------------------------------------------
  // A channel's unit of activity: clicks, conversions, or value when it reports neither
  // ---------------------------------------------------------------------------------------

  @Test
  void aChannelLearntFromValueAloneStartsAgainWhenItReportsConversions() {
    // Filters learnt in units of value (thousands a bucket) are no guide to conversions (a
    // few a bucket): the channel must start again from its window, exactly as if the state
    // held nothing for it.
    WindowBucket valueOnly = new WindowBucket(10_000, 0, 0, 5_000, 20_000);
    WindowBucket converting = new WindowBucket(10_000, 0, 4, 5_000, 20_000);
    assertStartsAgain(
        List.of(valueOnly, valueOnly, valueOnly),
        List.of(valueOnly, valueOnly, valueOnly, converting),
        List.of(STEADY, BUSIER, STEADY, BUSIER));
  }

  @Test
  void aChannelLearntFromConversionsStartsAgainWhenOnlyValueIsLeftInItsWindow() {
    WindowBucket converting = new WindowBucket(10_000, 0, 4, 5_000, 20_000);
    WindowBucket valueOnly = new WindowBucket(10_000, 0, 0, 5_000, 20_000);
    // Four new buckets: the window no longer holds a conversion.
    assertStartsAgain(
        List.of(converting, converting, converting),
        List.of(valueOnly, valueOnly, valueOnly, valueOnly),
        List.of(BUSIER, STEADY, BUSIER, STEADY));
  }

  @Test
  void aChannelWhoseClicksStopStartsAgainFromItsConversions() {
    WindowBucket clicking = new WindowBucket(10_000, 300, 6, 1_200, 3_000);
    WindowBucket unclicked = new WindowBucket(10_000, 0, 6, 1_200, 3_000);
    assertStartsAgain(
        List.of(clicking, clicking, clicking),
        List.of(unclicked, unclicked, unclicked, unclicked),
        List.of(BUSIER, STEADY, BUSIER, STEADY));
  }

  /**
   * Runs channel p on {@code before} beside q, then on {@code after}, and checks that p starts
   * again from its window: the run with the kept state equals the run with p's entry removed.
   */
  private static void assertStartsAgain(
      List<WindowBucket> before, List<WindowBucket> after, List<WindowBucket> otherAfter) {
    Allocation first =
        allocate(
            30_000,
            List.of(
                new ChannelWindow("p", true, 15_000, 0, before),
                new ChannelWindow("q", true, 15_000, 0, List.of(STEADY, BUSIER, STEADY))),
            Guardrails.NONE,
            1,
            null);
    List<ChannelWindow> later =
        List.of(
            new ChannelWindow("p", true, 15_000, 0, after),
            new ChannelWindow("q", true, 15_000, 0, otherAfter));
    Allocation carried = allocate(30_000, later, Guardrails.NONE, 2, first.modelState());
    Allocation forgotten =
        allocate(30_000, later, Guardrails.NONE, 2, withoutEntry(first.modelState(), "p"));
    assertEquals(forgotten, carried);
  }

  // ---------------------------------------------------------------------------------------
  // Figures past what a long sums
  // ---------------------------------------------------------------------------------------

  @Test
  void conversionsPastWhatALongSumsLeaveAChannelWithoutValueWithNothing() {
    // Two buckets of Long.MAX_VALUE conversions and no value at all: the channel is worth
    // nothing per conversion, in whichever place of the request it stands.
    WindowBucket flood = new WindowBucket(1_000, 0, Long.MAX_VALUE, 0, 0);
    ChannelWindow worthless = new ChannelWindow("flood", true, 0, 0, List.of(flood, flood));
    ChannelWindow plain = new ChannelWindow("plain", true, 0, 0, List.of(STEADY, BUSIER));

    AllocationRequest floodFirst =
        new AllocationRequest(30_000, List.of(worthless, plain), Guardrails.NONE, 1, null);
    Allocation allocation = LEARNING.allocate(floodFirst);
    assertEquals(0, allocation.channels().get(0).amount());
    assertEquals(30_000, allocation.channels().get(1).amount());
    assertEquals(
        "kept at 0% for expected lifetime value per unit spent 0.0x the campaign's",
        allocation.channels().get(0).reason());

    AllocationRequest floodLast =
        new AllocationRequest(30_000, List.of(plain, worthless), Guardrails.NONE, 1, null);
    Allocation swapped = LEARNING.allocate(floodLast);
    assertEquals(30_000, swapped.channels().get(0).amount());
    assertEquals(0, swapped.channels().get(1).amount());
  }

  @Test
  void clicksPastWhatALongSumsAreStillLearntFrom() {
    // Three buckets of more than a quarter of Long.MAX_VALUE clicks each: the channel reports
    // far more clicks than conversions, so it is learnt from clicks, as the plain channel is.
    WindowBucket flood = new WindowBucket(1_000, Long.MAX_VALUE / 2 + 1, 3, 100, 200);
    AllocationRequest request =
        new AllocationRequest(
            30_000,
            List.of(
                new ChannelWindow("flood", true, 0, 0, List.of(flood, flood, flood)),
                new ChannelWindow("plain", true, 0, 0, List.of(STEADY, BUSIER, STEADY))),
            Guardrails.NONE,
            1,
            null);
    String state = LEARNING.allocate(request).modelState();
    String plainUnit = unit(entry(state, "plain"));
    assertEquals("gAB", plainUnit, "1 (clicks) as the state writes it");
    assertEquals(plainUnit, unit(entry(state, "flood")));
  }

  // ---------------------------------------------------------------------------------------
  // Reruns within a bucket once the window is full
  // ---------------------------------------------------------------------------------------

  @Test
  void everyRerunWithinABucketOnceTheWindowIsFullKeepsTheSplit() {
    // Five-bucket windows, full from the sixth run on: each run the oldest bucket joins the
    // fading sums of value and clicks, and a rerun on the same window with a new seed reads
    // those sums back from the state. Value per click varies from bucket to bucket, so sums
    // that differ by the state's rounding would move the split.
    Random random = new Random(1);
    long[] current = {10_000, 10_000, 10_000};
    double[] scale = {60_000, 90_000, 45_000};
    List<List<WindowBucket>> windows = List.of(new ArrayList<>(), new ArrayList<>(),
        new ArrayList<>());
    String state = null;
    List<Integer> moved = new ArrayList<>();
    for (int run = 0; run < 40; run++) {
      List<ChannelWindow> channels = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        channels.add(new ChannelWindow("ch" + i, true, current[i], 0,
            List.copyOf(windows.get(i))));
      }
      Allocation first = allocate(30_000, channels, run, state);
      Allocation rerun = allocate(30_000, channels, 1_000 + run, first.modelState());
      if (run > 5 && !first.channels().equals(rerun.channels())) {
        moved.add(run);
      }
      state = first.modelState();
      for (int i = 0; i < 3; i++) {
        long spend = first.channels().get(i).amount();
        long value =
            Math.round(scale[i] * spend / (spend + 20_000.0) * (0.8 + 0.4 * random.nextDouble()));
        long clicks = Math.round(value / 50.0 * (0.5 + random.nextDouble()));
        windows.get(i).add(new WindowBucket(spend, clicks, value / 400, value / 2, value));
        if (windows.get(i).size() > 5) {
          windows.get(i).remove(0);
        }
        current[i] = spend;
      }
    }
    assertEquals(List.of(), moved, "runs whose rerun moved the split");
  }

  // ---------------------------------------------------------------------------------------
  // Hostile states and the largest requests
  // ---------------------------------------------------------------------------------------

  @Test
  void aLongStateOfEntriesWithoutColonsCountsAsNone() {
    // A million entries "a" and one colon at the end, about three times the text a thousand
    // channels' state takes: no entry is readable, so the run is the run without a state. Each
    // entry is searched for its colons within itself only; searching to the end of the text
    // made this quadratic (minutes instead of milliseconds).
    StringBuilder hostile = new StringBuilder("rc7;0;0;");
    for (int i = 0; i < 1_000_000; i++) {
      hostile.append("a,");
    }
    hostile.append(':');
    List<ChannelWindow> channels =
        List.of(
            new ChannelWindow("a", true, 15_000, 0, List.of(STEADY, BUSIER)),
            new ChannelWindow("b", true, 15_000, 0, List.of(BUSIER, STEADY)));
    Allocation none = allocate(30_000, channels, 0, null);
    assertEquals(none, allocate(30_000, channels, 0, hostile.toString()));
  }

  /** A channel's daily buckets, varied but free of repeats, with about 40 units per click. */
  private static List<WindowBucket> daily(int channel, int length) {
    List<WindowBucket> buckets = new ArrayList<>(length);
    for (int j = 0; j < length; j++) {
      long spend = 2_000 + (channel * 7_919L + j * 104_729L) % 18_000;
      long clicks = spend / 40 + (channel + j) % 50;
      long conversions = clicks / 30;
      buckets.add(new WindowBucket(spend, clicks, conversions, conversions * 300,
          conversions * 900));
    }
    return buckets;
  }

  @Test
  void aThousandChannelsOfFourWeeksAreSplitFirstAndWithTheirState() {
    // A minimum share of 5% cannot hold across a thousand channels; a floor of 0.05% can.
    Guardrails rails = new Guardrails(0, 8_000, 1_500, 5);
    List<ChannelWindow> channels = new ArrayList<>();
    List<ChannelWindow> dayLater = new ArrayList<>();
    for (int i = 0; i < AllocationRequest.MAX_CHANNELS; i++) {
      List<WindowBucket> window = daily(i, 29);
      channels.add(new ChannelWindow("c" + i, true, 10_000, 0, window.subList(0, 28)));
      dayLater.add(new ChannelWindow("c" + i, true, 10_000, 0, window.subList(1, 29)));
    }
    Allocation first = allocate(10_000_000, channels, rails, 1, null);
    Allocation next = allocate(10_000_000, dayLater, rails, 2, first.modelState());
    assertEquals("2", field(next.modelState(), 2));
    assertEquals(AllocationRequest.MAX_CHANNELS, next.channels().size());
  }

  @Test
  void aWindowOfTenThousandBucketsIsTakenInFirstAndAfterAGap() {
    List<WindowBucket> window = daily(1, 20_000);
    List<ChannelWindow> first =
        List.of(
            new ChannelWindow("long", true, 10_000, 0, window.subList(0, 10_000)),
            new ChannelWindow("short", true, 10_000, 0, List.of(STEADY, BUSIER)));
    // Ten thousand buckets later none of the window was seen: every complete one is taken in.
    List<ChannelWindow> later =
        List.of(
            new ChannelWindow("long", true, 10_000, 0, window.subList(10_000, 20_000)),
            new ChannelWindow("short", true, 10_000, 0, List.of(BUSIER, STEADY)));
    Allocation start = allocate(20_000, first, 1, null);
    Allocation gap = allocate(20_000, later, 2, start.modelState());
    assertEquals("2", field(gap.modelState(), 2));
    assertNotEquals(entry(start.modelState(), "long"), entry(gap.modelState(), "long"));
  }

  // ---------------------------------------------------------------------------------------
  // Reruns within a bucket while the window is still filling
  // ---------------------------------------------------------------------------------------

  @Test
  void aRerunRightAfterTheFirstRunKeepsTheSplitWhenValuePerClickVariesAcrossTheWindow() {
    // The window has not slid yet, so its oldest bucket is in no fading sum: a rerun must
    // count it in the window's value per click as the first run did.
    List<ChannelWindow> channels =
        List.of(
            new ChannelWindow(
                "varied",
                true,
                10_000,
                0,
                List.of(
                    new WindowBucket(10_000, 400, 2, 100, 100),
                    new WindowBucket(10_000, 100, 5, 2_000, 5_000))),
            new ChannelWindow("steady", true, 10_000, 0, List.of(STEADY, BUSIER, STEADY)),
            new ChannelWindow("busy", true, 10_000, 0, List.of(BUSIER, BUSIER, STEADY)));
    Allocation first = allocate(30_000, channels, 5, null);
    Allocation rerun = allocate(30_000, channels, 6, first.modelState());
    assertEquals(first.channels(), rerun.channels());
    assertEquals(first.modelState(), rerun.modelState());
  }

  @Test
  void everyRerunWithinABucketWhileTheWindowGrowsKeepsTheSplit() {
    Random random = new Random(1);
    long[] current = {10_000, 10_000, 10_000};
    double[] scale = {60_000, 90_000, 45_000};
    List<List<WindowBucket>> windows =
        List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    String state = null;
    List<Integer> moved = new ArrayList<>();
    for (int run = 0; run < 28; run++) {
      List<ChannelWindow> channels = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        channels.add(
            new ChannelWindow("ch" + i, true, current[i], 0, List.copyOf(windows.get(i))));
      }
      Allocation first = allocate(30_000, channels, run, state);
      Allocation rerun = allocate(30_000, channels, 1_000 + run, first.modelState());
      if (!first.channels().equals(rerun.channels())) {
        moved.add(run);
      }
      state = first.modelState();
      for (int i = 0; i < 3; i++) {
        long spend = first.channels().get(i).amount();
        long value =
            Math.round(
                scale[i] * spend / (spend + 20_000.0) * (0.8 + 0.4 * random.nextDouble()));
        long clicks = Math.round(value / 50.0 * (0.5 + random.nextDouble()));
        windows.get(i).add(new WindowBucket(spend, clicks, value / 400, value / 2, value));
        current[i] = spend;
      }
    }
    assertEquals(List.of(), moved, "runs whose rerun moved the split");
  }

  @Test
  void oddWindowsKeepTheirSplitAndStateWhenRerunWithinTheirBucket() {
    Map<String, List<WindowBucket>> windows = new LinkedHashMap<>();
    windows.put("empty", List.of());
    windows.put("single", List.of(STEADY));
    windows.put("zeros", List.of(WindowBucket.EMPTY, WindowBucket.EMPTY, WindowBucket.EMPTY));
    windows.put(
        "unpaid", List.of(new WindowBucket(0, 40, 0, 0, 0), new WindowBucket(0, 55, 1, 9, 9)));
    windows.put("clicksOnly", List.of(new WindowBucket(5_000, 90, 0, 0, 0), BUSIER));
    windows.put("conversionsOnly", List.of(new WindowBucket(5_000, 0, 4, 800, 900), STEADY));
    windows.put("valueOnly", List.of(new WindowBucket(5_000, 0, 0, 0, 7_000), STEADY));
    for (Map.Entry<String, List<WindowBucket>> odd : windows.entrySet()) {
      List<ChannelWindow> channels =
          List.of(
              new ChannelWindow(odd.getKey(), true, 10_000, 0, odd.getValue()),
              new ChannelWindow("steady", true, 10_000, 0, List.of(STEADY, BUSIER, STEADY)),
              new ChannelWindow("busy", true, 10_000, 0, List.of(BUSIER, BUSIER, STEADY)));
      Allocation first = allocate(30_000, channels, 5, null);
      Allocation rerun = allocate(30_000, channels, 6, first.modelState());
      Allocation again = allocate(30_000, channels, 7, rerun.modelState());
      assertEquals(first.channels(), rerun.channels(), odd.getKey());
      assertEquals(first.modelState(), rerun.modelState(), odd.getKey());
      assertEquals(rerun, again, odd.getKey());
    }
  }

  // ---------------------------------------------------------------------------------------
  // Recognising buckets taken in before
  // ---------------------------------------------------------------------------------------

  @Test
  void consecutiveBucketsThatTradeOneUnitOfSpendForThirtyOneClicksAreBothTakenIn() {
    // Under a plain polynomial hash these two days share a fingerprint, and the second would
    // be taken for the first.
    WindowBucket filling = new WindowBucket(3_000, 50, 1, 100, 300);
    WindowBucket monday = new WindowBucket(1_000, 62, 0, 0, 0);
    WindowBucket tuesday = new WindowBucket(1_001, 31, 0, 0, 0);
    Allocation first =
        allocate(
            20_000,
            List.of(
                new ChannelWindow("p", true, 10_000, 0, List.of(STEADY, monday, filling)),
                new ChannelWindow("q", true, 10_000, 0, List.of(STEADY, STEADY, filling))),
            1,
            null);
    Allocation next =
        allocate(
            20_000,
            List.of(
                new ChannelWindow(
                    "p", true, 10_000, 0, List.of(STEADY, monday, tuesday, filling)),
                new ChannelWindow(
                    "q", true, 10_000, 0, List.of(STEADY, STEADY, STEADY, filling))),
            2,
            first.modelState());
    assertEquals("2", field(next.modelState(), 2), "complete buckets taken in");
    assertNotEquals(entry(first.modelState(), "p"), entry(next.modelState(), "p"));
  }

  // ---------------------------------------------------------------------------------------
  // Names and the typical spend as the state keeps them
  // ---------------------------------------------------------------------------------------

  @Test
  void aChannelNameThatIsNotWellFormedTextIsRefused() {
    // A lone surrogate has no UTF-8 form, so the state could not keep the name apart from "?".
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ChannelWindow("\uD800", true, 0, 0, List.of()));
    assertEquals("channel name must be well-formed text", refused.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> new ChannelWindow("a\uDC00b", true, 0, 0, List.of()));
    String paired = "\uD83D\uDE00";
    assertEquals(paired, new ChannelWindow(paired, true, 0, 0, List.of()).channel());
  }

  @Test
  void aTypicalSpendThatMovesByLessThanAFactorTwoKeepsTheFilters() {
    // Two channels: a budget of 20,002 makes the typical spend 10,001; 40,002 makes it 20,001,
    // 1.9999 times as much. Nothing new has completed, so nothing in the entry may change.
    List<ChannelWindow> channels =
        List.of(
            new ChannelWindow("p", true, 0, 0, List.of(STEADY, BUSIER)),
            new ChannelWindow("q", true, 0, 0, List.of(BUSIER, STEADY)));
    Allocation before = allocate(20_002, channels, 1, null);
    Allocation after = allocate(40_002, channels, 1, before.modelState());
    assertEquals(entry(before.modelState(), "p"), entry(after.modelState(), "p"));
  }

  @Test
  void aFullWindowOf2049BucketsFeedsTheFadingSums() {
    // 2,049 is past what the state holds exactly (it reads back as 2,050): the window's
    // length is compared as the state keeps it, so the window is seen to slide.
    List<WindowBucket> all = new ArrayList<>();
    for (int j = 0; j < 2_052; j++) {
      all.add(
          new WindowBucket(9_000 + (j * 7_919L) % 3_000, 200 + j % 37, 5, 1_000, 2_000 + j % 11));
    }
    String state = null;
    for (int run = 0; run < 3; run++) {
      List<ChannelWindow> channels =
          List.of(
              new ChannelWindow("a", true, 10_000, 0, all.subList(run, run + 2_049)),
              new ChannelWindow("b", true, 10_000, 0, List.of(STEADY, BUSIER)));
      state = allocate(20_000, channels, run, state).modelState();
    }
    assertNotEquals("AAA", number(entry(state, "a"), ResponseCurveAllocator.OLD_VALUE));
  }

  @Test
  void anAbsurdRatioIsShownAsOverAThousandTimes() {
    assertEquals("over 1000x", Reasons.ratio(9.2e17));
    assertEquals("over 1000x", Reasons.ratio(1000));
    assertEquals("999.9x", Reasons.ratio(999.94));
    assertEquals("1.3x", Reasons.ratio(1.25));
  }
}
