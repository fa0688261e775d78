package dev.spur.allocation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class LargestRemainderTest {

  private static final long[] NO_LOWER = {0, 0, 0};
  private static final long[] NO_UPPER = {100, 100, 100};

  @Test
  void equalThirdsGiveTheSpareUnitToTheFirstChannel() {
    double third = 100 / 3.0;
    long[] amounts =
        LargestRemainder.apportion(
            new double[] {third, third, third}, NO_LOWER, NO_UPPER, 100);
    assertArrayEquals(new long[] {34, 33, 33}, amounts);
  }

  @Test
  void spareUnitsGoToTheLargestFractions() {
    long[] amounts =
        LargestRemainder.apportion(
            new double[] {10.2, 20.7, 69.1}, NO_LOWER, NO_UPPER, 100);
    assertArrayEquals(new long[] {10, 21, 69}, amounts);
  }

  @Test
  void roundingNeverLeavesAChannelsRange() {
    long[] amounts =
        LargestRemainder.apportion(
            new double[] {0.5, 0.5, 0.5}, new long[] {0, 0, 0}, new long[] {1, 0, 1}, 1);
    assertArrayEquals(new long[] {1, 0, 0}, amounts);
  }

  @Test
  void aSplitThatOvershootsIsTrimmedFromTheSmallestFractions() {
    long[] amounts =
        LargestRemainder.apportion(
            new double[] {51.0, 30.0, 20.5}, NO_LOWER, NO_UPPER, 100);
    assertArrayEquals(new long[] {51, 29, 20}, amounts);
  }
}
