package dev.spur.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which buckets the learning allocator takes in when the window numbers its buckets: each
 * complete bucket once, whatever its figures, however many arrive between runs, and none from a
 * replay of an earlier window. The state keeps, per channel, {@code n} and the number of the
 * first bucket not yet taken in, in hexadecimal (day 100 is {@code n64}).
 *
 * <p>How many buckets a run took in shows exactly in the dispersion's degrees of freedom, which
 * each bucket taken in moves from {@code d} to {@code 0.99 d + 1}, and which the state keeps
 * rounded between runs.
 */
class NumberedBucketsTest {

  private static final Allocator LEARNING = Allocators.learning();
  private static final Guardrails RAILS = new Guardrails(500, 8_000, 1_500, 1_000);

  private static final WindowBucket STEADY = new WindowBucket(10_000, 200, 5, 1_000, 2_000);
  private static final WindowBucket BUSIER = new WindowBucket(12_000, 230, 6, 1_100, 2_300);
  private static final WindowBucket QUIET = new WindowBucket(9_000, 170, 4, 900, 1_800);
  /** Today's bucket, still filling. */
  private static final WindowBucket FILLING = new WindowBucket(3_000, 50, 1, 200, 400);

  /** The other channel of every campaign here, numbered alike. */
  private static ChannelWindow other(long newest, int length) {
    List<WindowBucket> buckets = new ArrayList<>();
    for (int j = 0; j < length; j++) {
      buckets.add(j % 2 == 0 ? QUIET : STEADY);
    }
    return new ChannelWindow("q", true, 10_000, 0, buckets, newest);
  }

  private static String run(List<WindowBucket> window, long newest, String state) {
    return allocate(window, newest, 7, state).modelState();
  }

  private static Allocation allocate(
      List<WindowBucket> window, long newest, long seed, String state) {
    List<ChannelWindow> channels =
        List.of(
            new ChannelWindow("p", true, 10_000, 0, window, newest),
            other(newest, Math.max(window.size(), 3)));
    AllocationRequest request = new AllocationRequest(20_000, channels, RAILS, seed, state);
    Allocation allocation = LEARNING.allocate(request);
    assertEquals(List.of(), RuleAudit.violations(request, allocation));
    return allocation;
  }

  private static String entry(String state) {
    return StateText.entry(state, "p");
  }

  /** Where p's buckets stand, as its entry writes it. */
  private static String bucket(String state) {
    return entry(state).split(":")[1];
  }

  /** p's evidence and filters: everything in its entry that only taking a bucket in changes. */
  private static String filters(String state) {
    String[] parts = entry(state).split(":");
    return parts[2] + ":" + parts[3].substring(0, 3 * 2 * ResponseCurveAllocator.FILTERS);
  }

  private static double degrees(String state) {
    ModelState parsed =
        ModelState.parse(
            state, ResponseCurveAllocator.FILTERS, ResponseCurveAllocator.KEPT, 0);
    return parsed.memory("p").numbers()[ResponseCurveAllocator.DEGREES];
  }

  /** That {@code after} took no bucket in that {@code before} had not. */
  private static void assertNothingTakenIn(String before, String after) {
    assertEquals(bucket(before), bucket(after));
    assertEquals(filters(before), filters(after));
    assertEquals(degrees(before), degrees(after));
  }

  /** The degrees of freedom after {@code buckets} more buckets, rounded as the state keeps them. */
  private static double after(double degrees, int buckets) {
    double d = degrees;
    for (int k = 0; k < buckets; k++) {
      d = 0.99 * d + 1;
    }
    return ModelState.rounded(d);
  }

  @Test
  void aCompleteBucketLikeTheOneBeforeItIsTakenIn() {
    String first = run(List.of(STEADY, BUSIER, FILLING), 100, null);
    assertEquals("n64", bucket(first));
    // Yesterday's bucket has exactly the figures of the day before.
    String second = run(List.of(STEADY, BUSIER, BUSIER, FILLING), 101, first);
    assertEquals("n65", bucket(second));
    assertEquals(after(degrees(first), 1), degrees(second));
  }

  @Test
  void withoutNumbersABucketLikeTheOneBeforeItIsNotTakenIn() {
    String first = run(List.of(STEADY, BUSIER, FILLING), -1, null);
    String second = run(List.of(STEADY, BUSIER, BUSIER, FILLING), -1, first);
    assertNothingTakenIn(first, second);
  }

  @Test
  void bucketsThatCompletedBetweenRunsAreEachTakenInOnce() {
    String first = run(List.of(STEADY, BUSIER, FILLING), 100, null);
    // Four days without a run; the four complete days look alike.
    String later =
        run(List.of(STEADY, BUSIER, QUIET, QUIET, QUIET, QUIET, FILLING), 104, first);
    assertEquals("n68", bucket(later));
    assertEquals(after(degrees(first), 4), degrees(later));
  }

  @Test
  void aBucketThatLeftTheWindowBeforeItWasTakenInIsLost() {
    // Three-bucket windows; four days pass: day 100 and 101 complete and leave unseen.
    String first = run(List.of(STEADY, BUSIER, FILLING), 100, null);
    String later = run(List.of(QUIET, STEADY, FILLING), 104, first);
    assertEquals("n68", bucket(later));
    assertEquals(after(degrees(first), 2), degrees(later));
  }

  @Test
  void aRerunWithinTheBucketLeavesTheStateAsItWas() {
    String first = run(List.of(STEADY, BUSIER, FILLING), 100, null);
    String second = run(List.of(STEADY, BUSIER, BUSIER, FILLING), 101, first);
    WindowBucket fuller = new WindowBucket(6_000, 110, 3, 500, 900);
    String rerun = run(List.of(STEADY, BUSIER, BUSIER, fuller), 101, second);
    assertNothingTakenIn(second, rerun);
  }

  @Test
  void aReplayOfAnEarlierWindowTakesNothingIn() {
    String first = run(List.of(STEADY, BUSIER, FILLING), 100, null);
    String second = run(List.of(STEADY, BUSIER, QUIET, FILLING), 101, first);
    String replay = run(List.of(STEADY, BUSIER, FILLING), 100, second);
    assertEquals("n65", bucket(replay));
    assertNothingTakenIn(second, replay);
  }

  @Test
  void aStateKeptByFiguresGoesOnByNumberOnceTheWindowNumbersItsBuckets() {
    String first = run(List.of(STEADY, BUSIER, FILLING), -1, null);
    String second = run(List.of(STEADY, BUSIER, QUIET, FILLING), 101, first);
    assertEquals("n65", bucket(second));
    assertEquals(after(degrees(first), 1), degrees(second));
  }

  @Test
  void windowsThatStartNumberingWithinABucketKeepTheDrawsAndTheSplit() {
    // No bucket completes between the two runs: only the way buckets are known changes, so the
    // draws, and with them the split, stay as they were (the state keeps the first run's seed).
    List<WindowBucket> window = List.of(STEADY, BUSIER, QUIET, FILLING);
    Allocation unnumbered = allocate(window, -1, 1, null);
    Allocation numbered = allocate(window, 103, 2, unnumbered.modelState());
    assertEquals("n67", bucket(numbered.modelState()));
    assertEquals(filters(unnumbered.modelState()), filters(numbered.modelState()));
    assertEquals(
        unnumbered.modelState().split(";")[2], numbered.modelState().split(";")[2]);
    assertEquals(unnumbered.channels(), numbered.channels());
  }

  @Test
  void anEmptyDayAfterAFirstRunOnTodayAloneIsTakenIn() {
    String first = run(List.of(FILLING), 100, null);
    assertEquals("n64", bucket(first));
    String second = run(List.of(WindowBucket.EMPTY, FILLING), 101, first);
    assertEquals("n65", bucket(second));
    assertEquals(after(degrees(first), 1), degrees(second));
  }

  @Test
  void aBucketNumberMoreThanAWindowAheadStartsTheChannelAgain() {
    // A number far ahead of every window would keep every bucket out for ever.
    String numbered = run(List.of(STEADY, BUSIER, FILLING), 100, null);
    List<WindowBucket> window = List.of(STEADY, BUSIER, QUIET, FILLING);
    String withoutP = StateText.withoutEntry(numbered, "p");
    for (String ahead : List.of("n7fffffffffffffff", "n6a")) {
      String state = numbered.replace("p:n64:", "p:" + ahead + ":");
      assertEquals(entry(run(window, 101, withoutP)), entry(run(window, 101, state)), ahead);
    }
    // Four ahead of a four-bucket window is a replay's distance: kept, nothing taken in.
    String replayed = numbered.replace("p:n64:", "p:n69:");
    String kept = run(window, 101, replayed);
    assertEquals("n69", bucket(kept));
    assertEquals(filters(replayed), filters(kept));
  }

  @Test
  void aStateKeptByNumberStartsAgainForAWindowWithoutNumbers() {
    String numbered = run(List.of(STEADY, BUSIER, FILLING), 100, null);
    List<WindowBucket> window = List.of(STEADY, BUSIER, QUIET, FILLING);
    String fresh = run(window, -1, null);
    String fromNumbered = run(window, -1, numbered);
    assertEquals(entry(fresh), entry(fromNumbered));
  }

  @Test
  void anUnreadableBucketNumberCountsAsNoEntry() {
    String numbered = run(List.of(STEADY, BUSIER, FILLING), 100, null);
    List<WindowBucket> window = List.of(STEADY, BUSIER, QUIET, FILLING);
    String withoutP = StateText.withoutEntry(numbered, "p");
    List<String> fields =
        List.of(
            "n", "nzz", "n-1", "n+64", "n\u0666\u0664", "n\uff16\uff14", "n4A", "N64",
            "n8000000000000000", "n10000000000000000", "n00000000000000064");
    for (String field : fields) {
      String hostile = numbered.replace("p:n64:", "p:" + field + ":");
      assertEquals(entry(run(window, 101, withoutP)), entry(run(window, 101, hostile)), field);
    }
  }

  @Test
  void anUnreadableFingerprintCountsAsNoEntry() {
    String kept = run(List.of(STEADY, BUSIER, FILLING), -1, null);
    String fingerprint = bucket(kept);
    List<WindowBucket> window = List.of(STEADY, BUSIER, QUIET, FILLING);
    String withoutP = StateText.withoutEntry(kept, "p");
    List<String> fields =
        List.of("+" + fingerprint, fingerprint.toUpperCase(java.util.Locale.ROOT) + "G",
            "0" + "f".repeat(8), "");
    for (String field : fields) {
      String hostile = kept.replace("p:" + fingerprint + ":", "p:" + field + ":");
      assertEquals(entry(run(window, -1, withoutP)), entry(run(window, -1, hostile)), field);
    }
  }

  @Test
  void theLargestBucketNumbersAreKept() {
    String first = run(List.of(STEADY, BUSIER, FILLING), Long.MAX_VALUE - 1, null);
    assertEquals("n7ffffffffffffffe", bucket(first));
    String second = run(List.of(STEADY, BUSIER, QUIET, FILLING), Long.MAX_VALUE, first);
    assertEquals("n7fffffffffffffff", bucket(second));
    assertEquals(after(degrees(first), 1), degrees(second));
  }

  @Test
  void aBucketNumberMustLeaveEveryBucketANumber() {
    List<WindowBucket> three = List.of(STEADY, BUSIER, FILLING);
    assertThrows(
        IllegalArgumentException.class, () -> new ChannelWindow("p", true, 0, 0, three, -2));
    assertThrows(
        IllegalArgumentException.class, () -> new ChannelWindow("p", true, 0, 0, three, 1));
    assertEquals(2, new ChannelWindow("p", true, 0, 0, three, 2).newestBucket());
    assertEquals(-1, new ChannelWindow("p", true, 0, 0, three).newestBucket());
  }
}
