package dev.spur.allocation;

import java.util.ArrayList;
import java.util.List;

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
          ? "disabled: kept its " + grouped(committed) + " committed, nothing more"
          : "disabled: no budget";
    }
    List<String> parts = new ArrayList<>(3);
    boolean atCommitted =
        committed > 0
            && amount == committed
            && (envelope.lowerLimit(i) == Envelope.Limit.COMMITTED
                || envelope.upperLimit(i) == Envelope.Limit.COMMITTED);
    if (atCommitted) {
      parts.add("kept " + grouped(committed) + " committed");
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
    long tenths = Math.round(amount * 1000.0 / budget);
    return tenths % 10 == 0 ? tenths / 10 + "%" : tenths / 10 + "." + tenths % 10 + "%";
  }

  /** A ratio as "1.3x", rounded half up like the percentages; past 1000x, "over 1000x". */
  static String ratio(double value) {
    if (!(value < 1000)) {
      return "over 1000x";
    }
    long tenths = Math.round(value * 10);
    return tenths / 10 + "." + tenths % 10 + "x";
  }

  /** A whole amount with commas between thousands: 12,500. */
  static String grouped(long amount) {
    String digits = Long.toString(amount);
    StringBuilder text = new StringBuilder(digits.length() + digits.length() / 3);
    for (int i = 0; i < digits.length(); i++) {
      if (i > 0 && (digits.length() - i) % 3 == 0) {
        text.append(',');
      }
      text.append(digits.charAt(i));
    }
    return text.toString();
  }
}
