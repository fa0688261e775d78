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
 * for each of its filters and the filters' numbers.
 *
 * <p>Text form: {@code rc7;<seed>;<buckets>;<channel>:<bucket>:<evidence>:<numbers>,...}, where
 * the seed is in hexadecimal; the bucket is, when the window numbers its buckets, {@code n} and
 * the number of the first bucket not yet taken in, else a fingerprint of the figures of the last
 * one taken in, both in lower-case hexadecimal; the channel is its name, with any
 * character but a letter, a digit, {@code -}, {@code _} or {@code .} written as {@code %} and
 * two hexadecimal digits per byte of UTF-8; the evidence is two base-32 digits per filter, each
 * the filter's log-evidence below the best one in steps of 0.02; and each number, none of them
 * negative, is three characters of the URL-safe base-64 alphabet holding an 18-bit float: an
 * 8-bit exponent and a 10-bit fraction, which keeps it to within 0.05% from 2^-128 to 2^127.
 * A state that cannot be read counts as none, and an entry that cannot be read as none for its
 * channel: it only steers learning, and the window alone is enough to go on.
 *
 * <p>A run uses its memories as {@link #stored} gives them, rounded as the text keeps them, so
 * that the next run within the same bucket, which reads them back, decides alike.
 */
final class ModelState {

  private static final String VERSION = "rc7";
  private static final double STEP = 0.02;
  private static final int LEVELS = 1024;
  private static final String DIGITS = "0123456789abcdefghijklmnopqrstuv";
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final String BASE64 =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  /** Characters per number, and the steps of the base-2 logarithm they hold. */
  private static final int NUMBER_CHARS = 3;
  private static final int CODES = 1 << (6 * NUMBER_CHARS);
  /** Each character's digit in the base-32 and base-64 alphabets, or -1. */
  private static final int[] BASE32_DIGIT = digits(DIGITS);
  private static final int[] BASE64_DIGIT = digits(BASE64);
  private static final int[] HEX_DIGIT = digits(new String(HEX));
  private static final int FRACTION_BITS = 10;
  private static final int FRACTIONS = 1 << FRACTION_BITS;
  private static final int LOWEST_EXPONENT = -128;

  /**
   * One channel's kept evidence and numbers, and where its buckets stand: when the window numbers
   * its buckets, {@code next} is the number of the first one not yet folded in (and {@code
   * fingerprint} is 0); otherwise {@code next} is -1 and {@code fingerprint} is the fingerprint
   * of the last bucket folded in.
   */
  record Memory(int fingerprint, long next, double[] evidence, double[] numbers, String text) {

    /** A memory not yet written as text. */
    Memory(int fingerprint, long next, double[] evidence, double[] numbers) {
      this(fingerprint, next, evidence, numbers, null);
    }

    /** Whether the buckets are known by their numbers. */
    boolean numbered() {
      return next >= 0;
    }
  }

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
  static ModelState parse(String text, int filters, int numbers, long seed) {
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
    String entries = parts[3];
    int from = 0;
    while (from < entries.length()) {
      int end = entries.indexOf(',', from);
      if (end < 0) {
        end = entries.length();
      }
      readEntry(entries, from, end, filters, numbers, memories);
      from = end + 1;
    }
    return new ModelState(kept, buckets, memories);
  }

  /** A memory as the next run reads it back from the text, with that text. */
  static Memory stored(Memory memory) {
    double[] evidence = new double[memory.evidence().length];
    double[] numbers = new double[memory.numbers().length];
    char[] text = new char[2 * evidence.length + 1 + NUMBER_CHARS * numbers.length];
    for (int k = 0; k < evidence.length; k++) {
      int level = level(memory.evidence()[k]);
      evidence[k] = -STEP * level;
      text[2 * k] = DIGITS.charAt(level / 32);
      text[2 * k + 1] = DIGITS.charAt(level % 32);
    }
    int at = 2 * evidence.length;
    text[at++] = ':';
    for (int i = 0; i < numbers.length; i++) {
      int code = code(memory.numbers()[i]);
      numbers[i] = number(code);
      for (int d = 0; d < NUMBER_CHARS; d++) {
        text[at++] = BASE64.charAt((code >>> (6 * (NUMBER_CHARS - 1 - d))) & 63);
      }
    }
    return new Memory(
        memory.fingerprint(), memory.next(), evidence, numbers, new String(text));
  }

  /**
   * The code a number is kept as: 0 for zero and below; else its base-2 exponent plus 128 in the
   * high eight bits and the first ten bits of its fraction, rounded, below them.
   */
  private static int code(double value) {
    if (!(value >= Double.MIN_NORMAL)) {
      return 0;
    }
    // Adding half of the last kept fraction bit rounds; a carry moves into the exponent.
    long bits = Double.doubleToRawLongBits(value) + (1L << (51 - FRACTION_BITS));
    int exponent = (int) (bits >>> 52) - 1023;
    if (exponent < LOWEST_EXPONENT) {
      return 1;
    }
    if (exponent > LOWEST_EXPONENT + 255) {
      return CODES - 1;
    }
    int fraction = (int) (bits >>> (52 - FRACTION_BITS)) & (FRACTIONS - 1);
    return ((exponent - LOWEST_EXPONENT) << FRACTION_BITS | fraction) + 1;
  }

  /** A number as the text keeps it, so that a run can use what a rerun will read back. */
  static double rounded(double value) {
    return number(code(value));
  }

  private static double number(int code) {
    if (code == 0) {
      return 0;
    }
    long exponent = ((code - 1) >>> FRACTION_BITS) + LOWEST_EXPONENT + 1023;
    long fraction = (code - 1) & (FRACTIONS - 1);
    return Double.longBitsToDouble(exponent << 52 | fraction << (52 - FRACTION_BITS));
  }

  private static int level(double evidence) {
    return (int) Math.min(LEVELS - 1, Math.max(0, Math.round(-evidence / STEP)));
  }

  /**
   * Reads one channel's entry, {@code text} from {@code from} to {@code end}, into the map; an
   * unreadable entry is skipped.
   */
  private static void readEntry(
      String text, int from, int end, int filters, int count, Map<String, Memory> into) {
    // Searched within the entry only: searching past it would make a long run of entries
    // without colons cost the square of their number.
    int nameEnd = text.indexOf(':', from, end);
    int bucketEnd = nameEnd < 0 ? -1 : text.indexOf(':', nameEnd + 1, end);
    int evidenceEnd = bucketEnd < 0 ? -1 : text.indexOf(':', bucketEnd + 1, end);
    if (evidenceEnd < 0
        || evidenceEnd - bucketEnd - 1 != 2 * filters
        || end - evidenceEnd - 1 != NUMBER_CHARS * count) {
      return;
    }
    String channel = decode(text.substring(from, nameEnd));
    if (channel == null || into.containsKey(channel)) {
      return;
    }
    int fingerprint = 0;
    long next = -1;
    if (bucketEnd > nameEnd + 1 && text.charAt(nameEnd + 1) == 'n') {
      next = hex(text, nameEnd + 2, bucketEnd, 16);
      if (next < 0) {
        return;
      }
    } else {
      long value = hex(text, nameEnd + 1, bucketEnd, 8);
      if (value < 0) {
        return;
      }
      fingerprint = (int) value;
    }
    double[] evidence = new double[filters];
    int at = bucketEnd + 1;
    for (int k = 0; k < filters; k++) {
      int high = digit(BASE32_DIGIT, text.charAt(at++));
      int low = digit(BASE32_DIGIT, text.charAt(at++));
      if (high < 0 || low < 0) {
        return;
      }
      evidence[k] = -STEP * (high * 32 + low);
    }
    at = evidenceEnd + 1;
    double[] numbers = new double[count];
    for (int i = 0; i < count; i++) {
      int code = 0;
      for (int d = 0; d < NUMBER_CHARS; d++) {
        int digit = digit(BASE64_DIGIT, text.charAt(at++));
        if (digit < 0) {
          return;
        }
        code = code * 64 + digit;
      }
      numbers[i] = number(code);
    }
    into.put(
        channel,
        new Memory(fingerprint, next, evidence, numbers, text.substring(bucketEnd + 1, end)));
  }

  /**
   * The number that {@code text} from {@code from} to {@code end} writes in lower-case
   * hexadecimal, as {@link Long#toHexString} and {@link Integer#toHexString} write it, in at most
   * {@code most} digits; -1 for anything else (no digit, another character, a sign, or a
   * number past what a long holds).
   */
  private static long hex(String text, int from, int end, int most) {
    if (end <= from || end - from > most) {
      return -1;
    }
    long value = 0;
    for (int i = from; i < end; i++) {
      int digit = digit(HEX_DIGIT, text.charAt(i));
      if (digit < 0) {
        return -1;
      }
      value = value << 4 | digit;
    }
    // Sixteen digits may reach the sign bit: no window gives such a number.
    return value < 0 ? -1 : value;
  }

  private static int[] digits(String alphabet) {
    int[] digits = new int[128];
    java.util.Arrays.fill(digits, -1);
    for (int i = 0; i < alphabet.length(); i++) {
      digits[alphabet.charAt(i)] = i;
    }
    return digits;
  }

  private static int digit(int[] digits, char c) {
    return c < digits.length ? digits[c] : -1;
  }

  /** The state for the next run, with the given channels' memories in channel order. */
  String next(long buckets, List<ChannelWindow> channels, Map<String, Memory> kept) {
    StringBuilder text = new StringBuilder(16 + 640 * channels.size()).append(VERSION).append(';');
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
      if (memory.numbered()) {
        text.append('n').append(Long.toHexString(memory.next())).append(':');
      } else {
        text.append(Integer.toHexString(memory.fingerprint())).append(':');
      }
      text.append(memory.text() != null ? memory.text() : stored(memory).text());
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
    boolean plain = true;
    for (int i = 0; i < text.length() && plain; i++) {
      plain = plain(text.charAt(i));
    }
    if (plain) {
      return text;
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
