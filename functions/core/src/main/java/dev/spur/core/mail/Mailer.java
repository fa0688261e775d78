package dev.spur.core.mail;

import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.Body;
import software.amazon.awssdk.services.sesv2.model.Content;
import software.amazon.awssdk.services.sesv2.model.Destination;
import software.amazon.awssdk.services.sesv2.model.EmailContent;
import software.amazon.awssdk.services.sesv2.model.Message;
import software.amazon.awssdk.services.sesv2.model.MessageHeader;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;

/** Sends Spur's emails through SES v2 from the verified sender identity. */
public final class Mailer {

  private final SesV2Client ses;
  private final String sender;

  public Mailer(SesV2Client ses, String sender) {
    this.ses = ses;
    this.sender = sender;
  }

  /**
   * An email ready to send: one recipient, a subject, a text and an HTML body.
   *
   * @param unsubscribeUrl the recipient's one-click unsubscribe link (RFC 8058), or null
   */
  public record Email(String to, String subject, String text, String html,
      String unsubscribeUrl) {}

  /** Sends one email and returns the id SES gave it. */
  public String send(Email email) {
    Content subject = Content.builder().data(email.subject()).charset("UTF-8").build();
    Body body =
        Body.builder()
            .text(Content.builder().data(email.text()).charset("UTF-8").build())
            .html(Content.builder().data(email.html()).charset("UTF-8").build())
            .build();
    return ses.sendEmail(
            SendEmailRequest.builder()
                .fromEmailAddress(sender)
                .destination(Destination.builder().toAddresses(email.to()).build())
                .content(
                    EmailContent.builder()
                        .simple(message(email, subject, body))
                        .build())
                .build())
        .messageId();
  }

  private static Message message(Email email, Content subject, Body body) {
    Message.Builder message = Message.builder().subject(subject).body(body);
    if (email.unsubscribeUrl() != null) {
      message.headers(
          MessageHeader.builder().name("List-Unsubscribe")
              .value("<" + email.unsubscribeUrl() + ">").build(),
          MessageHeader.builder().name("List-Unsubscribe-Post")
              .value("List-Unsubscribe=One-Click").build());
    }
    return message.build();
  }
}
