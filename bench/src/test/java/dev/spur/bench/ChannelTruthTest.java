package dev.spur.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ChannelTruthTest {

  @Test
  void theMarginalValueIsTheSlopeOfTheValueCurve() {
    // A concave channel and an S-curve, below, at and above half saturation.
    ChannelTruth concave = new ChannelTruth(14, 12_000, 1.0, 0.2, 3_500, 0.7, 1.5, 0);
    ChannelTruth sCurve = new ChannelTruth(12, 20_000, 2.2, 0.5, 5_000, 0.9, 1.2, 0);
    for (ChannelTruth channel : new ChannelTruth[] {concave, sCurve}) {
      for (double adstock : new double[] {2_000, 12_000, 20_000, 60_000}) {
        double h = 0.5;
        double slope = (channel.value(adstock + h) - channel.value(adstock - h)) / (2 * h);

        assertEquals(slope, channel.marginalValue(adstock), 1e-6 * slope, "at " + adstock);
      }
    }
  }

  @Test
  void aConcaveChannelStartsAtItsFullSlopeAndAnSCurveAtNone() {
    ChannelTruth concave = new ChannelTruth(14, 12_000, 1.0, 0.2, 3_500, 0.7, 1.5, 0);
    ChannelTruth sCurve = new ChannelTruth(12, 20_000, 2.2, 0.5, 5_000, 0.9, 1.2, 0);

    assertEquals(14.0 / 12_000 * 3_500 * 2.5, concave.marginalValue(0), 1e-12);
    assertEquals(0, sCurve.marginalValue(0));
  }
}
