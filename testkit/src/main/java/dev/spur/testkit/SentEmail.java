package dev.spur.testkit;

import java.util.List;

/**
 * One message as an emulator's SES recorded it.
 *
 * <p>{@code to} holds the To recipients only, as written by the sender. Either body may be null:
 * moto keeps a single body per simple message (the HTML part when both were sent), so a moto
 * message reports its body as {@code html} when it contains markup and as {@code text} otherwise.
 *
 * @param from the sender as given to SES
 * @param to the To recipients
 * @param subject the subject line, decoded
 * @param text the plain-text body, or null
 * @param html the HTML body, or null
 */
public record SentEmail(String from, List<String> to, String subject, String text, String html) {

  /** Copies the recipients so that a message never changes after it was read. */
  public SentEmail {
    to = List.copyOf(to);
  }
}
