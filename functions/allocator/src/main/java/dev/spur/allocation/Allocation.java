package dev.spur.allocation;

import java.util.List;

/**
 * The result of one run: a budget per channel, in the request's channel order, summing exactly
 * to the request's budget.
 *
 * @param channels one entry per channel of the request
 * @param modelState what the allocator wants handed back next run (may be null)
 */
public record Allocation(List<ChannelAllocation> channels, String modelState) {

  public Allocation {
    channels = List.copyOf(channels);
  }

  /** The sum of every channel's amount. */
  public long total() {
    return channels.stream().mapToLong(ChannelAllocation::amount).sum();
  }
}
