package dev.spur.bench;

/**
 * The true curves of a scenario's channels for one seed, period by period, and when each
 * channel appears.
 */
final class Market {

  private final String[] names;
  private final int[] firstPeriod;
  private final double[] statusQuo;
  private final ChannelTruth[][] truths;

  Market(String[] names, int[] firstPeriod, double[] statusQuo, ChannelTruth[][] truths) {
    this.names = names;
    this.firstPeriod = firstPeriod;
    this.statusQuo = statusQuo;
    this.truths = truths;
  }

  int channels() {
    return names.length;
  }

  String name(int i) {
    return names[i];
  }

  /** The position of the channel called {@code name}. */
  int index(String name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no channel " + name);
  }

  /** The first period in which channel {@code i} is part of the campaign. */
  int firstPeriod(int i) {
    return firstPeriod[i];
  }

  /** Channel {@code i}'s share of the budget before the first run. */
  double statusQuo(int i) {
    return statusQuo[i];
  }

  ChannelTruth truth(int i, int period) {
    return truths[period][i];
  }
}
