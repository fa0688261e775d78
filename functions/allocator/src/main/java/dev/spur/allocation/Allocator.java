package dev.spur.allocation;

/**
 * Splits a campaign's budget across its channels. Implementations are pure: the same request
 * gives the same allocation, and nothing outside the request is read.
 */
public interface Allocator {

  /**
   * Computes the next allocation.
   *
   * @throws InfeasibleGuardrailsException when no split can satisfy the guardrails and the
   *     money already committed
   */
  Allocation allocate(AllocationRequest request);
}
