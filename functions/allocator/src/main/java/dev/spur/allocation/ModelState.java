package dev.spur.allocation;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the learning allocator hands from one run to the next, as a compact string: the seed of
 * its draws, how many complete buckets it has taken in, and, per channel, the fading evidence
 * about the shape of its curve and the state of its steady filters.
 *
 * <p>Text form: {@code rc6;<seed>;<buckets>;<channel>:<bucket>:<evidence>:<steady>,...}, where
 * the seed, the channel and the last bucket taken in are in hexadecimal, the evidence is two
 * base-32 digits per shape, each the shape's log-evidence below the best one in steps of 0.02,
 * and the steady filters' state is eight hexadecimal digits per number, the bits of a 32-bit
 * float. A state that cannot be read counts as none: it only steers learning, and the window
 * alone is enough to go on.
 */
final class ModelState {

  private static final String VERSION = "rc6";
  private static final double STEP = 0.02;
  private static final int LEVELS = 1024;
  private static final String DIGITS = "0123456789abcdefghijklmnopqrstuv";
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** One channel's kept evidence and the fingerprint of the last bucket folded into it. */
  record Memory(int fingerprint, double[] evidence, double[] steady) {}

  private final long seed;
  private final long buckets;
  private final Map<Integer, Memory> memories;

  private ModelState(long seed, long buckets, Map<Integer, Memory> memories) {
    this.seed = seed;
    this.buckets = buckets;
    this.memories = memories;
  }

  /** The seed of the draws: the first run's, kept so that draws change only with the data. */
  long seed() {
    return seed;
  }

  /** How many times a new complete bucket has been taken in. */
  long buckets() {
    return buckets;
  }

  /** The channel's memory, or null when there is none (or none of this many shapes). */
  Memory memory(String channel) {
    return memories.get(channel.hashCode());
  }

  /** Reads a state; with none, or none readable, the draws start from {@code seed}. */
  static ModelState parse(String text, int shapes, int steadySize, long seed) {
    Map<Integer, Memory> memories = new HashMap<>();
    if (text == null || !text.startsWith(VERSION + ";")) {
      return new ModelState(seed, 0, memories);
    }
    String[] parts = text.split(";", -1);
    if (parts.length != 4) {
      return new ModelState(seed, 0, memories);
    }
    long kept;
    long buckets;
    try {
      kept = Long.parseUnsignedLong(parts[1], 16);
      buckets = Long.parseLong(parts[2]);
    } catch (NumberFormatException e) {
      return new ModelState(seed, 0, memories);
    }
    if (!parts[3].isEmpty()) {
      for (String entry : parts[3].split(",")) {
        readEntry(entry, shapes, steadySize, memories);
      }
    }
    return new ModelState(kept, buckets, memories);
  }

  /** Reads one channel's entry into the map; an unreadable entry is skipped. */
  private static void readEntry(
      String entry, int shapes, int steadySize, Map<Integer, Memory> into) {
    String[] fields = entry.split(":", -1);
    if (fields.length != 4
        || fields[2].length() != 2 * shapes
        || fields[3].length() != 8 * steadySize) {
      return;
    }
    double[] steady = new double[steadySize];
    for (int i = 0; i < steadySize; i++) {
      try {
        steady[i] =
            Float.intBitsToFloat(
                Integer.parseUnsignedInt(fields[3].substring(8 * i, 8 * i + 8), 16));
      } catch (NumberFormatException e) {
        return;
      }
      if (!Double.isFinite(steady[i])) {
        return;
      }
    }
    int channel;
    int fingerprint;
    try {
      channel = Integer.parseUnsignedInt(fields[0], 16);
      fingerprint = Integer.parseUnsignedInt(fields[1], 16);
    } catch (NumberFormatException e) {
      return;
    }
    double[] evidence = new double[shapes];
    for (int k = 0; k < shapes; k++) {
      int high = DIGITS.indexOf(fields[2].charAt(2 * k));
      int low = DIGITS.indexOf(fields[2].charAt(2 * k + 1));
      if (high < 0 || low < 0) {
        return;
      }
      evidence[k] = -STEP * (high * 32 + low);
    }
    into.put(channel, new Memory(fingerprint, evidence, steady));
  }

  /** The state for the next run, with the given channels' memories in channel order. */
  String next(long buckets, List<ChannelWindow> channels, Map<String, Memory> kept) {
    StringBuilder text = new StringBuilder(16 + 380 * channels.size()).append(VERSION).append(';');
    text.append(Long.toHexString(seed)).append(';').append(buckets).append(';');
    boolean first = true;
    for (ChannelWindow channel : channels) {
      Memory memory = kept.get(channel.channel());
      if (memory == null) {
        continue;
      }
      if (!first) {
        text.append(',');
      }
      first = false;
      text.append(Integer.toHexString(channel.channel().hashCode())).append(':');
      text.append(Integer.toHexString(memory.fingerprint())).append(':');
      for (double e : memory.evidence()) {
        int level = (int) Math.min(LEVELS - 1, Math.max(0, Math.round(-e / STEP)));
        text.append(DIGITS.charAt(level / 32)).append(DIGITS.charAt(level % 32));
      }
      double[] steady = memory.steady();
      char[] digits = new char[1 + 8 * steady.length];
      digits[0] = ':';
      for (int i = 0; i < steady.length; i++) {
        int bits = Float.floatToIntBits((float) steady[i]);
        for (int d = 0; d < 8; d++) {
          digits[1 + 8 * i + d] = HEX[(bits >>> (28 - 4 * d)) & 0xf];
        }
      }
      text.append(digits);
    }
    return text.toString();
  }
}
