package dev.spur.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ValueRatioAllocatorTest {

  private final Allocator allocator = Allocators.valueRatio();

  private static ChannelWindow channel(
      String name, long current, long committed, long spend, long conversions, long value) {
    return new ChannelWindow(
        name,
        true,
        current,
        committed,
        List.of(new WindowBucket(spend, spend / 10, conversions, value / 2, value)));
  }

  private static List<Long> amounts(Allocation allocation) {
    return allocation.channels().stream().map(ChannelAllocation::amount).toList();
  }

  @Test
  void splitsByShrunkValuePerUnitOfSpend() {
    // Campaign: spend 2,000, 10 conversions, value 4,000, so ratio 2 and a prior of 1,000 spend.
    // Scores: (3,000 + 2,000) / 2,000 = 2.5 and (1,000 + 2,000) / 2,000 = 1.5, i.e. 62.5/37.5.
    AllocationRequest request =
        new AllocationRequest(
            10_000,
            List.of(
                channel("email", 5_000, 0, 1_000, 5, 3_000),
                channel("social", 5_000, 0, 1_000, 5, 1_000)),
            Guardrails.NONE,
            1,
            null);
    Allocation allocation = allocator.allocate(request);
    assertEquals(List.of(6_250L, 3_750L), amounts(allocation));
    assertEquals(
        "raised to 62.5% for lifetime value per unit spent 1.3x the campaign's",
        allocation.channels().get(0).reason());
    assertEquals(
        "lowered to 37.5% for lifetime value per unit spent 0.8x the campaign's",
        allocation.channels().get(1).reason());
  }

  @Test
  void channelsWithoutResultsShareEvenlyWithTheOddUnitToTheFirst() {
    AllocationRequest request =
        new AllocationRequest(
            100,
            List.of(
                new ChannelWindow("a", true, 0, 0, List.of()),
                new ChannelWindow("b", true, 0, 0, List.of()),
                new ChannelWindow("c", true, 0, 0, List.of())),
            Guardrails.NONE,
            1,
            null);
    Allocation allocation = allocator.allocate(request);
    assertEquals(List.of(34L, 33L, 33L), amounts(allocation));
    assertEquals(
        "raised to 34% with no results yet, scored at the campaign average",
        allocation.channels().get(0).reason());
  }

  @Test
  void maxChangeCapsTheMoveAndDisabledChannelKeepsOnlyItsCommitted() {
    // email would get 62.5% of the 9,000 left after the disabled channel's 1,000 committed,
    // but may rise only 10% of 10,000 from 4,000.
    AllocationRequest request =
        new AllocationRequest(
            10_000,
            List.of(
                channel("email", 4_000, 0, 1_000, 5, 3_000),
                channel("social", 4_000, 0, 1_000, 5, 1_000),
                new ChannelWindow("blog", false, 2_000, 1_000, List.of())),
            new Guardrails(0, 10_000, 1_000, 0),
            1,
            null);
    Allocation allocation = allocator.allocate(request);
    assertEquals(List.of(5_000L, 4_000L, 1_000L), amounts(allocation));
    assertEquals(
        "raised to 50% for lifetime value per unit spent 1.3x the campaign's;"
            + " capped by max change",
        allocation.channels().get(0).reason());
    assertEquals(
        "disabled: kept its 1,000 committed, nothing more", allocation.channels().get(2).reason());
  }

  @Test
  void committedSpendAboveTheNewCapIsKept() {
    AllocationRequest request =
        new AllocationRequest(
            10_000,
            List.of(
                channel("email", 5_000, 0, 1_000, 5, 3_000),
                channel("social", 5_000, 4_500, 1_000, 5, 1_000),
                channel("blog", 0, 0, 1_000, 5, 1_000)),
            new Guardrails(0, 4_000, 10_000, 0),
            1,
            null);
    Allocation allocation = allocator.allocate(request);
    assertEquals(List.of(3_750L, 4_500L, 1_750L), amounts(allocation));
    assertEquals(
        "kept 4,500 committed; lowered to 45% for lifetime value per unit spent 0.8x the"
            + " campaign's",
        allocation.channels().get(1).reason());
  }

  @Test
  void minimumSharesAboveTheWholeBudgetAreRefusedByName() {
    AllocationRequest request =
        new AllocationRequest(
            10_000,
            List.of(
                new ChannelWindow("a", true, 0, 0, List.of()),
                new ChannelWindow("b", true, 0, 0, List.of()),
                new ChannelWindow("c", true, 0, 0, List.of())),
            new Guardrails(4_000, 10_000, 10_000, 0),
            1,
            null);
    InfeasibleGuardrailsException e =
        assertThrows(InfeasibleGuardrailsException.class, () -> allocator.allocate(request));
    assertEquals(
        "minShareBps 4000 across 3 enabled channels needs 12,000 of a budget of 10,000",
        e.getMessage());
  }

  @Test
  void maximumSharesTooSmallToHoldTheBudgetAreRefusedByName() {
    AllocationRequest request =
        new AllocationRequest(
            10_000,
            List.of(
                new ChannelWindow("a", true, 0, 0, List.of()),
                new ChannelWindow("b", true, 0, 0, List.of())),
            new Guardrails(0, 4_000, 10_000, 0),
            1,
            null);
    InfeasibleGuardrailsException e =
        assertThrows(InfeasibleGuardrailsException.class, () -> allocator.allocate(request));
    assertEquals(
        "maxShareBps 4000 across 2 enabled channels holds only 8,000 of a budget of 10,000",
        e.getMessage());
  }

  @Test
  void allChannelsDisabledWithBudgetLeftIsRefused() {
    AllocationRequest request =
        new AllocationRequest(
            10_000,
            List.of(new ChannelWindow("a", false, 10_000, 2_000, List.of())),
            Guardrails.NONE,
            1,
            null);
    InfeasibleGuardrailsException e =
        assertThrows(InfeasibleGuardrailsException.class, () -> allocator.allocate(request));
    assertEquals(
        "every channel is disabled, leaving 8,000 of the budget 10,000 with nowhere to go",
        e.getMessage());
  }
}
