package dev.spur.bench;

import dev.spur.allocation.Allocation;
import dev.spur.allocation.AllocationRequest;
import dev.spur.allocation.Allocator;

/** Baseline: the same share for every enabled channel. */
final class EqualSplit implements Allocator {

  @Override
  public Allocation allocate(AllocationRequest request) {
    return Split.proportional(
        request, new double[request.channels().size()], "equal split", null);
  }
}
