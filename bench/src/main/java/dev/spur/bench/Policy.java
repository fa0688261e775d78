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
   * The allocation for one period; only the oracle and the references look at {@code truth}.
   *
   * @param truth the true curves of the request's channels in this period, and the adstock each
   *     carries into it
   */
  Allocation decide(AllocationRequest request, Truth truth);

  /** What is really so in the period being decided, for the policies that are told it. */
  interface Truth {

    /** The period being decided, from 0. */
    int period();

    /** The true curve, this period, of the request's channel at position {@code channel}. */
    ChannelTruth channel(int channel);

    /** The adstock that channel carries into this period, before this period's spend. */
    double carried(int channel);

    /** The expected lifetime value that channel brings this period for a spend. */
    default DoubleUnaryOperator curve(int channel) {
      ChannelTruth truth = channel(channel);
      double carry = carried(channel);
      return x -> truth.value(x + carry);
    }
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
