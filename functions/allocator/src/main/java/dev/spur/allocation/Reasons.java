package dev.spur.allocation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes the one plain sentence that explains a channel's new amount. */
final class Reasons {

  private Reasons() {}

  /**
   * Explains channel {@code i}'s amount.
   *
   * @param driver what the allocator saw in the channel, as words that follow "raised to 31%"
   */
  static String sentence(
      Envelope envelope, int i, ChannelWindow channel, long amount, String driver) {
    long committed = channel.committed();
    if (!channel.enabled()) {
      return committed > 0
          ? String.format(Locale.ROOT, "disabled: kept its %,d committed, nothing more", committed)
          : "disabled: no budget";
    }
    List<String> parts = new ArrayList<>(3);
    boolean atCommitted =
        committed > 0
            && amount == committed
            && (envelope.lowerLimit(i) == Envelope.Limit.COMMITTED
                || envelope.upperLimit(i) == Envelope.Limit.COMMITTED);
    if (atCommitted) {
      parts.add(String.format(Locale.ROOT, "kept %,d committed", committed));
    }

    long budget = envelope.budget();
    long current = channel.currentAllocation();
    String share = percent(amount, budget);
    String move;
    if (amount > current) {
      move = "raised to " + share;
    } else if (amount < current) {
      move = "lowered to " + share;
    } else {
      move = "kept at " + share;
    }
    parts.add(driver.isEmpty() ? move : move + " " + driver);

    String bound = binding(envelope, i, amount);
    if (bound != null) {
      parts.add(bound);
    }
    return String.join("; ", parts);
  }

  private static String binding(Envelope envelope, int i, long amount) {
    if (amount == envelope.upper(i)) {
      switch (envelope.upperLimit(i)) {
        case MAX_SHARE:
          return "capped by max share";
        case MAX_CHANGE:
          return "capped by max change";
        default:
          break;
      }
    }
    if (amount == envelope.lower(i)) {
      switch (envelope.lowerLimit(i)) {
        case MIN_SHARE:
          return "held up by min share";
        case EXPLORATION_FLOOR:
          return "held at the exploration floor while data is thin";
        case MAX_CHANGE:
          return "cut no further than max change allows";
        default:
          break;
      }
    }
    return null;
  }

  /** A share of the budget as a percentage with at most one decimal. */
  static String percent(long amount, long budget) {
    if (budget == 0) {
      return "0%";
    }
    String text = String.format(Locale.ROOT, "%.1f", amount * 100.0 / budget);
    if (text.endsWith(".0")) {
      text = text.substring(0, text.length() - 2);
    }
    return text + "%";
  }

  /** A ratio as "1.3x". */
  static String ratio(double value) {
    return String.format(Locale.ROOT, "%.1fx", value);
  }
}
