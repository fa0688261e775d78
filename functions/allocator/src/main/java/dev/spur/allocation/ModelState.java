package dev.spur.allocation;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the learning allocator hands from one run to the next, as a compact string: the seed of
 * its draws, how many complete buckets it has taken in, and, per channel, the fading evidence
 * about the shape of its curve and the state of its steady filters.
 *
 * <p>Text form: {@code rc6;<seed>;<buckets>;<channel>:<bucket>:<evidence>:<steady>,...}, where
 * the seed and the last bucket taken in are in hexadecimal; the channel is its name, with any
 * character but a letter, a digit, {@code -}, {@code _} or {@code .} written as {@code %} and
 * two hexadecimal digits per byte of UTF-8; the evidence is two base-32 digits per shape, each
 * the shape's log-evidence below the best one in steps of 0.02; and the steady filters' state
 * is eight hexadecimal digits per number, the bits of a 32-bit float. A state that cannot be
 * read counts as none, and an entry that cannot be read as none for its channel: it only steers
 * learning, and the window alone is enough to go on.
 *
 * <p>A run uses its memories as {@link #stored} gives them, rounded as the text keeps them, so
 * that the next run within the same bucket, which reads them back, decides alike.
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
  private final Map<String, Memory> memories;

  private ModelState(long seed, long buckets, Map<String, Memory> memories) {
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
    return memories.get(channel);
  }

  /** Reads a state; with none, or none readable, the draws start from {@code seed}. */
  static ModelState parse(String text, int shapes, int steadySize, long seed) {
    Map<String, Memory> memories = new HashMap<>();
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

  /** A memory as the next run reads it back from the text. */
  static Memory stored(Memory memory) {
    double[] evidence = new double[memory.evidence().length];
    for (int k = 0; k < evidence.length; k++) {
      evidence[k] = -STEP * level(memory.evidence()[k]);
    }
    double[] steady = new double[memory.steady().length];
    for (int i = 0; i < steady.length; i++) {
      steady[i] = Float.intBitsToFloat(bits(memory.steady()[i]));
    }
    return new Memory(memory.fingerprint(), evidence, steady);
  }

  private static int level(double evidence) {
    return (int) Math.min(LEVELS - 1, Math.max(0, Math.round(-evidence / STEP)));
  }

  /** A number's bits as a finite 32-bit float: out of range is the largest float of its sign. */
  private static int bits(double value) {
    double finite = Double.isNaN(value) ? 0 : value;
    return Float.floatToIntBits(
        (float) Math.max(-Float.MAX_VALUE, Math.min(Float.MAX_VALUE, finite)));
  }

  /** Reads one channel's entry into the map; an unreadable entry is skipped. */
  private static void readEntry(
      String entry, int shapes, int steadySize, Map<String, Memory> into) {
    String[] fields = entry.split(":", -1);
    if (fields.length != 4
        || fields[2].length() != 2 * shapes
        || fields[3].length() != 8 * steadySize) {
      return;
    }
    String channel = decode(fields[0]);
    if (channel == null || into.containsKey(channel)) {
      return;
    }
    int fingerprint;
    try {
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
      text.append(encode(channel.channel())).append(':');
      text.append(Integer.toHexString(memory.fingerprint())).append(':');
      for (double e : memory.evidence()) {
        int level = level(e);
        text.append(DIGITS.charAt(level / 32)).append(DIGITS.charAt(level % 32));
      }
      double[] steady = memory.steady();
      char[] digits = new char[1 + 8 * steady.length];
      digits[0] = ':';
      for (int i = 0; i < steady.length; i++) {
        int bits = bits(steady[i]);
        for (int d = 0; d < 8; d++) {
          digits[1 + 8 * i + d] = HEX[(bits >>> (28 - 4 * d)) & 0xf];
        }
      }
      text.append(digits);
    }
    return text.toString();
  }

  private static boolean plain(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_'
        || c == '.';
  }

  /** A channel's name as the text keeps it. */
  static String encode(String name) {
    boolean plain = true;
    for (int i = 0; i < name.length() && plain; i++) {
      plain = plain(name.charAt(i));
    }
    if (plain) {
      return name;
    }
    StringBuilder out = new StringBuilder();
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      if (plain(b)) {
        out.append((char) b);
      } else {
        out.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
      }
    }
    return out.toString();
  }

  /** The name {@link #encode} wrote, or null when the text is not one it writes. */
  static String decode(String text) {
    if (text.isEmpty()) {
      return null;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%' && i + 2 < text.length()) {
        int high = Character.digit(text.charAt(i + 1), 16);
        int low = Character.digit(text.charAt(i + 2), 16);
        if (high < 0 || low < 0) {
          return null;
        }
        bytes.write(high * 16 + low);
        i += 2;
      } else if (plain(c)) {
        bytes.write(c);
      } else {
        return null;
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
