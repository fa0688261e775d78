package dev.spur.bench;

import dev.spur.allocation.Allocation;
import dev.spur.allocation.AllocationRequest;
import dev.spur.allocation.Allocator;

/** Baseline: keep the current split, as far as the guardrails allow. */
final class StatusQuo implements Allocator {

  @Override
  public Allocation allocate(AllocationRequest request) {
    int n = request.channels().size();
    double[] weights = new double[n];
    for (int i = 0; i < n; i++) {
      weights[i] = request.channels().get(i).currentAllocation();
    }
    return Split.proportional(request, weights, "status quo", null);
  }
}
