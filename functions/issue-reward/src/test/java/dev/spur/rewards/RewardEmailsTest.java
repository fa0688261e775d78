package dev.spur.rewards;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spur.core.campaigns.RewardType;
import dev.spur.core.mail.Mailer.Email;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** Every email Spur sends, rendered, with its subject, text and HTML checked word for word. */
class RewardEmailsTest {

  private static final String UNSUBSCRIBE =
      "https://refer.example.com/unsubscribe/0123456789abcdef0123456789abcdef";
  private static final String FOOTER_TEXT = "--\nTo stop these emails: " + UNSUBSCRIBE + "\n";
  private static final String FOOTER_HTML =
      "<p style=\"font-size:small;color:#666\"><a href=\"" + UNSUBSCRIBE + "\">Unsubscribe</a>"
          + " from these emails.</p>";

  @Test
  void theReferrerLearnsWhatTheyEarnedAndWhenAHeldRewardIsTheirs() {
    Email email = RewardEmails.forReferrer("ada@example.com", "Friends & Family",
        RewardType.CASH, 1_500, "EUR", LocalDate.of(2027, 1, 14), UNSUBSCRIBE);

    assertEquals("ada@example.com", email.to());
    assertEquals("You earned 15.00 EUR cash for a referral", email.subject());
    assertEquals("""
        Good news: a friend you referred has placed their first order.

        You earned 15.00 EUR cash in Friends & Family.

        It is yours on 14 January 2027, once your friend's order is past its return period.

        Share your link again to earn more.

        """ + FOOTER_TEXT, email.text());
    assertEquals("<p>Good news: a friend you referred has placed their first order.</p>"
        + "<p>You earned <strong>15.00 EUR cash</strong> in Friends &amp; Family.</p>"
        + "<p>It is yours on 14 January 2027, once your friend's order is past its return"
        + " period.</p>"
        + "<p>Share your link again to earn more.</p>" + FOOTER_HTML, email.html());
    assertEquals(UNSUBSCRIBE, email.unsubscribeUrl());
  }

  @Test
  void aRewardPaidAtOnceSaysNothingAboutAHold() {
    Email email = RewardEmails.forReferrer("ada@example.com", "Spring", RewardType.POINTS, 1,
        "EUR", null, UNSUBSCRIBE);

    assertEquals("You earned 1 point for a referral", email.subject());
    assertEquals("""
        Good news: a friend you referred has placed their first order.

        You earned 1 point in Spring.

        Share your link again to earn more.

        """ + FOOTER_TEXT, email.text());
  }

  @Test
  void theReferredCustomerGetsTheirWelcomeReward() {
    Email email = RewardEmails.forReferee("ben@example.com", "Spring", RewardType.DISCOUNT, 500,
        "EUR", UNSUBSCRIBE);

    assertEquals("Your welcome reward: a 5.00 EUR discount", email.subject());
    assertEquals("""
        Thank you for your first order.

        Because a friend referred you to Spring, you get a 5.00 EUR discount.

        """ + FOOTER_TEXT, email.text());
    assertEquals("<p>Thank you for your first order.</p>"
        + "<p>Because a friend referred you to Spring, you get <strong>a 5.00 EUR discount"
        + "</strong>.</p>" + FOOTER_HTML, email.html());
  }

  @Test
  void theThankYouCarriesTheCustomersOwnLink() {
    Email email = RewardEmails.thankYou("ben@example.com", "Spring",
        "https://refer.example.com/r/k7m2q9xw4hp3t", RewardType.CREDIT, 1_000, "JPY",
        UNSUBSCRIBE);

    assertEquals("Thanks for your order: here is your own referral link", email.subject());
    assertEquals("""
        Welcome to Spring, and thank you for your order.

        Know someone who would like it too? Share your own link: each friend who orders \
        through it gets 1000 JPY store credit, and you earn a reward of your own.

        Share your link: https://refer.example.com/r/k7m2q9xw4hp3t

        """ + FOOTER_TEXT, email.text());
    assertEquals("<p>Welcome to Spring, and thank you for your order.</p>"
        + "<p>Know someone who would like it too? Share your own link: each friend who orders"
        + " through it gets <strong>1000 JPY store credit</strong>, and you earn a reward of"
        + " your own.</p>"
        + "<p><a href=\"https://refer.example.com/r/k7m2q9xw4hp3t\">Share your link</a></p>"
        + FOOTER_HTML, email.html());
  }

  @Test
  void aTierEmailNamesTheTierItsBonusAndVip() {
    Email gold = RewardEmails.tierReached("ada@example.com", "Spring", "Gold", 1_250, true, 3,
        UNSUBSCRIBE);
    assertEquals("You reached Gold (VIP)", gold.subject());
    assertEquals("""
        You are now Gold in Spring, after 3 referrals.

        From now on every referral earns you 12.5% more.

        That is our top tier: welcome to VIP.

        """ + FOOTER_TEXT, gold.text());
    assertEquals("<p>You are now <strong>Gold</strong> in Spring, after 3 referrals.</p>"
        + "<p>From now on every referral earns you 12.5% more.</p>"
        + "<p>That is our top tier: welcome to VIP.</p>" + FOOTER_HTML, gold.html());

    Email silver = RewardEmails.tierReached("ada@example.com", "Spring", "Silver", 0, false, 1,
        UNSUBSCRIBE);
    assertEquals("You reached Silver", silver.subject());
    assertEquals("You are now Silver in Spring, after 1 referral.\n\n" + FOOTER_TEXT,
        silver.text());
  }

  @Test
  void aMilestoneEmailNamesTheBadgeAndItsBonus() {
    Email email = RewardEmails.milestoneReached("ada@example.com", "Spring", "Trailblazer", 250,
        5, UNSUBSCRIBE);

    assertEquals("New badge: Trailblazer", email.subject());
    assertEquals("""
        You earned the Trailblazer badge in Spring for 5 referrals.

        We added 250 points to your balance.

        """ + FOOTER_TEXT, email.text());
    assertEquals("<p>You earned the <strong>Trailblazer</strong> badge in Spring for 5"
        + " referrals.</p><p>We added 250 points to your balance.</p>" + FOOTER_HTML,
        email.html());
  }

  @Test
  void markupInACampaignNameIsEscaped() {
    Email email = RewardEmails.forReferee("ben@example.com", "<b>\"Spring\"</b>",
        RewardType.CASH, 100, "EUR", UNSUBSCRIBE);
    assertEquals("<p>Thank you for your first order.</p>"
        + "<p>Because a friend referred you to &lt;b&gt;&quot;Spring&quot;&lt;/b&gt;, you get"
        + " <strong>1.00 EUR cash</strong>.</p>" + FOOTER_HTML, email.html());
  }
}
