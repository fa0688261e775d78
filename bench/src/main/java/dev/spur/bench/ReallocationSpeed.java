package dev.spur.bench;

import dev.spur.allocation.Allocation;
import dev.spur.allocation.AllocationRequest;
import dev.spur.allocation.Allocator;
import dev.spur.allocation.Allocators;
import dev.spur.allocation.ChannelWindow;
import dev.spur.allocation.Guardrails;
import dev.spur.allocation.WindowBucket;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * How long one scheduled run takes to reallocate 10,000 campaigns of 8 channels with a 28-bucket
 * window each, on one thread: {@code first}, when every campaign is new to the allocator and
 * starts its filters from its window, and {@code tick}, when every campaign has the state its
 * run of the day before left and one bucket has completed since, the scheduled run's usual case.
 *
 * <p>Run with {@code java -cp bench/target/spur-bench.jar org.openjdk.jmh.Main
 * ReallocationSpeed}; it is not part of the tests.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-XX:ActiveProcessorCount=1"})
public class ReallocationSpeed {

  private static final int CAMPAIGNS = 10_000;
  private static final int CHANNELS = 8;
  private static final int BUCKETS = 28;
  /** The number of the windows' newest bucket: a day, counted from 1970-01-01. */
  private static final long TODAY = 20_790;

  /** Which allocator to time. */
  @Param({"learning", "valueRatio"})
  public String allocator;

  /** Whether the campaigns are new to the allocator or carry the state of the day before. */
  @Param({"first", "tick"})
  public String run;

  private List<AllocationRequest> requests;
  private Allocator chosen;

  /** Builds the campaigns once, so that only allocation is timed. */
  @Setup
  public void build() {
    chosen = allocator.equals("learning") ? Allocators.learning() : Allocators.valueRatio();
    SplittableRandom random = new SplittableRandom(42);
    Guardrails rails = new Guardrails(200, 6_000, 1_000, 500);
    requests = new ArrayList<>(CAMPAIGNS);
    for (int c = 0; c < CAMPAIGNS; c++) {
      long budget = 10_000 + random.nextInt(1_000_000);
      List<ChannelWindow> channels = new ArrayList<>(CHANNELS);
      long left = budget;
      for (int i = 0; i < CHANNELS; i++) {
        long current = i == CHANNELS - 1 ? left : budget / CHANNELS;
        left -= current;
        double ratio = 0.5 + 3 * random.nextDouble();
        List<WindowBucket> buckets = new ArrayList<>(BUCKETS);
        for (int b = 0; b < BUCKETS; b++) {
          long spend = (long) (current * (0.7 + 0.6 * random.nextDouble()));
          long conversions = (long) (spend / 2_000.0 * (0.5 + random.nextDouble()));
          long value = (long) (spend * ratio * (0.5 + random.nextDouble()));
          buckets.add(new WindowBucket(spend, conversions * 20, conversions, value / 2, value));
        }
        channels.add(new ChannelWindow("channel-" + i, true, current, 0, buckets, TODAY));
      }
      String state = run.equals("tick") ? dayBefore(budget, channels, rails, c) : null;
      requests.add(new AllocationRequest(budget, channels, rails, c, state));
    }
  }

  /** The state the campaign's run left when its window ended a bucket earlier. */
  private String dayBefore(long budget, List<ChannelWindow> channels, Guardrails rails, long c) {
    List<ChannelWindow> earlier = new ArrayList<>(channels.size());
    for (ChannelWindow channel : channels) {
      List<WindowBucket> buckets = channel.buckets();
      earlier.add(
          new ChannelWindow(
              channel.channel(),
              true,
              channel.currentAllocation(),
              0,
              buckets.subList(0, buckets.size() - 1),
              TODAY - 1));
    }
    return chosen.allocate(new AllocationRequest(budget, earlier, rails, c, null)).modelState();
  }

  /** Reallocates every campaign once. */
  @Benchmark
  public void reallocateAll(Blackhole sink) {
    for (AllocationRequest request : requests) {
      Allocation allocation = chosen.allocate(request);
      sink.consume(allocation);
    }
  }
}
