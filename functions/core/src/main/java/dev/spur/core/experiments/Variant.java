package dev.spur.core.experiments;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One reward variant of a campaign's experiment and its weight: the share of referrers it gets,
 * in basis points (10,000 = all of them).
 *
 * @param name letters, digits, {@code -} and {@code _}, 1 to 32 of them, unique in its campaign
 * @param weightBps the variant's share of referrers, 0 to 10,000
 */
public record Variant(String name, int weightBps) {

  /** The weights of a campaign's variants add up to this. */
  public static final int TOTAL_BPS = 10_000;

  /** A campaign has at most this many variants. */
  public static final int MAX_VARIANTS = 8;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,32}");

  public Variant {
    checkName(name);
    if (weightBps < 0 || weightBps > TOTAL_BPS) {
      throw new IllegalArgumentException(
          "variant " + name + ": weight " + weightBps + " must be between 0 and 10000");
    }
  }

  /** Refuses a name that is not 1 to 32 letters, digits, {@code -} or {@code _}. */
  static void checkName(String name) {
    Objects.requireNonNull(name, "variant name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "variant name '" + name + "' must be 1 to 32 letters, digits, '-' or '_'");
    }
  }

  /**
   * Checks that the variants make a campaign's experiment: 1 to 8 of them, unique names, weights
   * adding up to 10,000; returns an unmodifiable copy in the declared order.
   */
  static List<Variant> checkedSet(List<Variant> variants) {
    Objects.requireNonNull(variants, "variants");
    if (variants.isEmpty() || variants.size() > MAX_VARIANTS) {
      throw new IllegalArgumentException(
          "an experiment has 1 to 8 variants, not " + variants.size());
    }
    Set<String> names = new HashSet<>();
    long sum = 0;
    for (Variant variant : variants) {
      Objects.requireNonNull(variant, "variant");
      if (!names.add(variant.name())) {
        throw new IllegalArgumentException("variant name " + variant.name() + " is repeated");
      }
      sum += variant.weightBps();
    }
    if (sum != TOTAL_BPS) {
      throw new IllegalArgumentException("variant weights add up to " + sum + ", not 10000");
    }
    return List.copyOf(variants);
  }
}
