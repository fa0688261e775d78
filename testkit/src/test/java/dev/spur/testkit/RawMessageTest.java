package dev.spur.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RawMessageTest {

  @Test
  void nestedMultipartYieldsFirstTextAndHtmlAndSkipsAttachments() {
    String mime =
        String.join(
            "\n",
            "From: shop@example.com",
            "To: a@example.com",
            "Subject: Your",
            "  badge",
            "Content-Type: multipart/mixed; boundary=outer",
            "",
            "preamble is ignored",
            "--outer",
            "Content-Type: multipart/alternative; boundary=\"inner\"",
            "",
            "--inner",
            "Content-Type: text/plain",
            "",
            "line one",
            "line two",
            "--inner",
            "Content-Type: text/html",
            "",
            "<p>one</p>",
            "--inner--",
            "--outer",
            "Content-Type: text/plain",
            "Content-Disposition: attachment; filename=terms.txt",
            "",
            "terms",
            "--outer--",
            "");

    assertEquals(
        new SentEmail(
            "shop@example.com",
            List.of("a@example.com"),
            "Your badge",
            "line one\nline two",
            "<p>one</p>"),
        RawMessage.parse(mime, "fallback@example.com", List.of("fallback@example.com")));
  }

  @Test
  void addressListSplitsOnlyAtCommasOutsideQuotesAndBrackets() {
    assertEquals(
        List.of("\"Lee, Ann\" <ann@example.org>", "<odd,one@example.org>", "bo@example.org"),
        RawMessage.addresses(
            "\"Lee, Ann\" <ann@example.org>, <odd,one@example.org>,bo@example.org"));
  }

  @Test
  void encodedWordsDecodeAndAdjacentOnesJoinWithoutSpace() {
    assertEquals(
        "Prämie für Sie",
        RawMessage.decodeWords("=?UTF-8?Q?Pr=C3=A4mie_f?= =?ISO-8859-1?B?/A==?=r Sie"));
  }

  @Test
  void quotedPrintableJoinsSoftBreaksAndKeepsStrayEquals() {
    assertArrayEquals(
        "a=b joined é".getBytes(StandardCharsets.UTF_8),
        RawMessage.quotedPrintable("a=b jo=\r\nined =C3=A9"));
  }
}
