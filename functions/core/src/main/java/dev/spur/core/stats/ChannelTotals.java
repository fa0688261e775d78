package dev.spur.core.stats;

import java.util.EnumMap;
import java.util.Map;

/** The counters of one channel, over all time or over one day. */
public record ChannelTotals(String channel, Map<Counter, Long> counters) {

  public ChannelTotals {
    EnumMap<Counter, Long> copy = new EnumMap<>(Counter.class);
    for (Counter counter : Counter.values()) {
      copy.put(counter, counters.getOrDefault(counter, 0L));
    }
    counters = Map.copyOf(copy);
  }

  /** A counter's value; zero when never counted. */
  public long get(Counter counter) {
    return counters.get(counter);
  }

  /** Spend as the allocator sees it: rewards paid plus reported external spend. */
  public long spend() {
    return get(Counter.REWARD_SPEND) + get(Counter.EXTERNAL_SPEND);
  }
}
