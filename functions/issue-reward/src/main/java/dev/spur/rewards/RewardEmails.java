package dev.spur.rewards;

import dev.spur.core.campaigns.RewardType;
import dev.spur.core.mail.Mailer.Email;
import dev.spur.core.money.Money;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;

/**
 * The emails of a referral, each as text and HTML from the same lines: what each side earned,
 * the thank-you that hands a referred customer their own link, and the tier and milestone
 * news. Every email ends with a one-click unsubscribe link.
 */
final class RewardEmails {

  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.ENGLISH);

  private RewardEmails() {}

  /**
   * The referrer's email.
   *
   * @param payableOn the day (in the campaign's time zone) the reward is paid after its hold,
   *     or null when it is paid at once
   */
  static Email forReferrer(String to, String campaignName, RewardType type, long value,
      String currency, LocalDate payableOn, String unsubscribeUrl) {
    String reward = describe(type, value, currency);
    List<Line> lines = new ArrayList<>();
    lines.add(Line.plain("Good news: a friend you referred has placed their first order."));
    lines.add(Line.strong("You earned ", reward, " in " + campaignName + "."));
    if (payableOn != null) {
      lines.add(Line.plain("It is yours on " + DAY.format(payableOn)
          + ", once your friend's order is past its return period."));
    }
    lines.add(Line.plain("Share your link again to earn more."));
    return render(to, "You earned " + reward + " for a referral", lines, null, unsubscribeUrl);
  }

  /** The referred customer's reward email. */
  static Email forReferee(String to, String campaignName, RewardType type, long value,
      String currency, String unsubscribeUrl) {
    String reward = describe(type, value, currency);
    List<Line> lines = List.of(
        Line.plain("Thank you for your first order."),
        Line.strong("Because a friend referred you to " + campaignName + ", you get ", reward,
            "."));
    return render(to, "Your welcome reward: " + reward, lines, null, unsubscribeUrl);
  }

  /** The thank-you after a referred customer's first order, with their own referral link. */
  static Email thankYou(String to, String campaignName, String referralUrl, RewardType type,
      long value, String currency, String unsubscribeUrl) {
    String reward = describe(type, value, currency);
    List<Line> lines = List.of(
        Line.plain("Welcome to " + campaignName + ", and thank you for your order."),
        Line.strong("Know someone who would like it too? Share your own link: each friend who "
            + "orders through it gets ", reward, ", and you earn a reward of your own."));
    return render(to, "Thanks for your order: here is your own referral link", lines,
        new Action("Share your link", referralUrl), unsubscribeUrl);
  }

  /** The email to a referrer who reached a higher tier. */
  static Email tierReached(String to, String campaignName, String tier, int rewardBonusBps,
      boolean vip, long referrals, String unsubscribeUrl) {
    List<Line> lines = new ArrayList<>();
    lines.add(Line.strong("You are now ", tier, " in " + campaignName + ", after " + referrals
        + (referrals == 1 ? " referral." : " referrals.")));
    if (rewardBonusBps > 0) {
      lines.add(Line.plain("From now on every referral earns you " + percent(rewardBonusBps)
          + " more."));
    }
    if (vip) {
      lines.add(Line.plain("That is our top tier: welcome to VIP."));
    }
    return render(to, "You reached " + tier + (vip ? " (VIP)" : ""), lines, null,
        unsubscribeUrl);
  }

  /** The email to a referrer who reached a milestone. */
  static Email milestoneReached(String to, String campaignName, String badge, long bonusPoints,
      long referrals, String unsubscribeUrl) {
    List<Line> lines = new ArrayList<>();
    lines.add(Line.strong("You earned the ", badge, " badge in " + campaignName + " for "
        + referrals + (referrals == 1 ? " referral." : " referrals.")));
    if (bonusPoints > 0) {
      lines.add(Line.plain("We added " + describe(RewardType.POINTS, bonusPoints, null)
          + " to your balance."));
    }
    return render(to, "New badge: " + badge, lines, null, unsubscribeUrl);
  }

  /** A reward in words, such as {@code 10.00 EUR cash} or {@code 500 points}. */
  static String describe(RewardType type, long value, String currency) {
    if (type == RewardType.POINTS) {
      return value + (value == 1 ? " point" : " points");
    }
    String money = format(new Money(value, currency));
    return switch (type) {
      case CASH -> money + " cash";
      case CREDIT -> money + " store credit";
      case DISCOUNT -> "a " + money + " discount";
      case POINTS -> throw new IllegalStateException("points are handled above");
    };
  }

  /** Money in major units with its code, such as {@code 12.90 EUR}. */
  static String format(Money money) {
    int digits = Math.max(0, Currency.getInstance(money.currency()).getDefaultFractionDigits());
    return BigDecimal.valueOf(money.amount(), digits).toPlainString() + " " + money.currency();
  }

  /** Basis points as a percentage without trailing zeros, such as {@code 50%} or {@code 12.5%}. */
  static String percent(int bps) {
    return BigDecimal.valueOf(bps, 2).stripTrailingZeros().toPlainString() + "%";
  }

  /** One paragraph: text before, an emphasised part, text after. */
  private record Line(String before, String strong, String after) {
    static Line plain(String text) {
      return new Line(text, "", "");
    }

    static Line strong(String before, String strong, String after) {
      return new Line(before, strong, after);
    }
  }

  private record Action(String label, String url) {}

  private static Email render(
      String to, String subject, List<Line> lines, Action action, String unsubscribeUrl) {
    StringBuilder text = new StringBuilder();
    StringBuilder html = new StringBuilder();
    for (Line line : lines) {
      text.append(line.before()).append(line.strong()).append(line.after()).append("\n\n");
      html.append("<p>").append(escape(line.before()));
      if (!line.strong().isEmpty()) {
        html.append("<strong>").append(escape(line.strong())).append("</strong>");
      }
      html.append(escape(line.after())).append("</p>");
    }
    if (action != null) {
      text.append(action.label()).append(": ").append(action.url()).append("\n\n");
      html.append("<p><a href=\"").append(escape(action.url())).append("\">")
          .append(escape(action.label())).append("</a></p>");
    }
    text.append("--\nTo stop these emails: ").append(unsubscribeUrl).append("\n");
    html.append("<p style=\"font-size:small;color:#666\">")
        .append("<a href=\"").append(escape(unsubscribeUrl)).append("\">")
        .append("Unsubscribe</a> from these emails.</p>");
    return new Email(to, subject, text.toString(), html.toString(), unsubscribeUrl);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
