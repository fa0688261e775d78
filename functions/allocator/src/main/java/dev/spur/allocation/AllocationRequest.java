package dev.spur.allocation;

import java.util.List;

/**
 * Everything one allocation run is a function of.
 *
 * @param budget the campaign's budget for the period, in minor units; the result sums to it
 * @param channels every channel of the campaign, enabled or not, in a stable order
 * @param guardrails the campaign's limits
 * @param seed fixes any randomness, so that a run can be replayed
 * @param modelState what the allocator returned last run for this campaign, or null on the first
 */
public record AllocationRequest(
    long budget,
    List<ChannelWindow> channels,
    Guardrails guardrails,
    long seed,
    String modelState) {

  public AllocationRequest {
    if (budget < 0) {
      throw new IllegalArgumentException("budget cannot be negative");
    }
    channels = List.copyOf(channels);
    if (channels.isEmpty()) {
      throw new IllegalArgumentException("at least one channel is needed");
    }
    if (guardrails == null) {
      throw new IllegalArgumentException("guardrails are required");
    }
  }
}
