package dev.spur.bench;

import dev.spur.allocation.Allocation;
import dev.spur.allocation.AllocationRequest;
import dev.spur.allocation.Allocator;
import java.util.function.DoubleUnaryOperator;

/** Something the simulator can ask for each period's allocation. */
interface Policy {

  /** The name printed in the results. */
  String name();

  /**
   * The allocation for one period; only the oracle looks at {@code truth}.
   *
   * @param truth the expected lifetime value each channel of the request would bring for a
   *     spend, given its carry-over
   */
  Allocation decide(AllocationRequest request, Truth truth);

  /** The true expected response of a request's channels this period. */
  interface Truth {
    DoubleUnaryOperator curve(int channel);
  }

  /** A policy that is just an allocator, blind to the truth like the real thing. */
  static Policy of(String name, Allocator allocator) {
    return new Policy() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Allocation decide(AllocationRequest request, Truth truth) {
        return allocator.allocate(request);
      }
    };
  }
}
