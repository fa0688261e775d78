package dev.spur.allocation;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Draws varied allocation requests from a seeded random source. */
final class RandomRequests {

  private final Random random;

  RandomRequests(long seed) {
    this.random = new Random(seed);
  }

  /** A request with up to {@code maxChannels} channels and a budget up to {@code maxBudget}. */
  AllocationRequest next(int maxChannels, long maxBudget) {
    int n = 1 + random.nextInt(maxChannels);
    long budget = random.nextInt(10) == 0 ? 0 : (long) (random.nextDouble() * maxBudget);
    boolean sumsUp = random.nextInt(3) > 0;
    long[] current = split(budget, n, sumsUp);

    List<ChannelWindow> channels = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      boolean enabled = random.nextInt(6) > 0;
      long committed = 0;
      int kind = random.nextInt(4);
      if (kind == 1) {
        committed = (long) (random.nextDouble() * current[i]);
      } else if (kind == 2) {
        committed = (long) (random.nextDouble() * budget / n);
      }
      channels.add(new ChannelWindow("ch" + i, enabled, current[i], committed, buckets()));
    }
    return new AllocationRequest(budget, channels, guardrails(n), random.nextLong(), null);
  }

  private long[] split(long budget, int n, boolean sumsUp) {
    long[] parts = new long[n];
    if (sumsUp) {
      long left = budget;
      for (int i = 0; i < n - 1; i++) {
        parts[i] = (long) (random.nextDouble() * left);
        left -= parts[i];
      }
      parts[n - 1] = left;
    } else {
      for (int i = 0; i < n; i++) {
        parts[i] = (long) (random.nextDouble() * budget);
      }
    }
    return parts;
  }

  private Guardrails guardrails(int n) {
    if (random.nextInt(5) == 0) {
      return Guardrails.NONE;
    }
    int min = random.nextInt(3) == 0 ? 0 : random.nextInt(12_000 / n + 1);
    min = Math.min(min, 10_000);
    int max = min + random.nextInt(10_001 - min);
    int change = random.nextInt(4) == 0 ? 10_000 : random.nextInt(4_000);
    int floor = random.nextInt(2) == 0 ? 0 : random.nextInt(3_000);
    return new Guardrails(min, max, change, floor);
  }

  private List<WindowBucket> buckets() {
    int count = random.nextInt(5) == 0 ? 0 : random.nextInt(14);
    double cost = 50 + random.nextDouble() * 500;
    double value = random.nextDouble() * 800;
    List<WindowBucket> list = new ArrayList<>(count);
    for (int b = 0; b < count; b++) {
      long spend = random.nextInt(8) == 0 ? 0 : random.nextInt(5_000);
      long conversions = (long) Math.floor(spend / cost * random.nextDouble() * 2);
      long revenue = (long) (conversions * value);
      long lifetime = revenue + (long) (conversions * value * random.nextDouble() * 3);
      list.add(new WindowBucket(spend, spend / 20, conversions, revenue, lifetime));
    }
    return list;
  }
}
