package dev.spur.rewards;

import dev.spur.core.campaigns.RewardRule;
import dev.spur.core.campaigns.RewardType;
import dev.spur.core.mail.Mailer.Email;
import dev.spur.core.money.Money;
import java.math.BigDecimal;
import java.util.Currency;

/** The emails that tell each side of a referral what it earned. */
final class RewardEmails {

  private RewardEmails() {}

  /** The referrer's email. */
  static Email forReferrer(String to, String campaignName, RewardType type, long value,
      String currency) {
    String reward = describe(type, value, currency);
    String subject = "You earned " + reward + " for a referral";
    String text =
        "Good news: a friend you referred has placed their first order.\n\n"
            + "You earned " + reward + " in " + campaignName + ".\n\n"
            + "Share your link again to earn more.\n";
    String html =
        "<p>Good news: a friend you referred has placed their first order.</p>"
            + "<p>You earned <strong>" + escape(reward) + "</strong> in "
            + escape(campaignName) + ".</p>"
            + "<p>Share your link again to earn more.</p>";
    return new Email(to, subject, text, html);
  }

  /** The referred customer's email. */
  static Email forReferee(String to, String campaignName, RewardType type, long value,
      String currency) {
    String reward = describe(type, value, currency);
    String subject = "Your welcome reward: " + reward;
    String text =
        "Thank you for your first order.\n\n"
            + "Because a friend referred you to " + campaignName + ", you get " + reward
            + ".\n";
    String html =
        "<p>Thank you for your first order.</p>"
            + "<p>Because a friend referred you to " + escape(campaignName) + ", you get <strong>"
            + escape(reward) + "</strong>.</p>";
    return new Email(to, subject, text, html);
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

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
