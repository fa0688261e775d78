package dev.spur.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboxTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void motoSimpleMessagesKeepToAddressesOnlyAndSortTheirBodyByMarkup() throws Exception {
    JsonNode data =
        JSON.readTree(
            """
            {"ses": {"Message": [
              {"id": "m1", "source": "shop@example.com", "subject": "Hi",
               "body": "<p>hello</p>",
               "destinations": {"ToAddresses": ["a@example.com", "b@example.com"],
                                "CcAddresses": ["c@example.com"]}},
              {"id": "m2", "source": "shop@example.com", "subject": "Link",
               "body": "See <https://shop.example/r/abc> if 1 < 2",
               "destinations": {"ToAddresses": ["a@example.com"]}}
            ]}}
            """);

    assertEquals(
        List.of(
            new SentEmail(
                "shop@example.com",
                List.of("a@example.com", "b@example.com"),
                "Hi",
                null,
                "<p>hello</p>"),
            new SentEmail(
                "shop@example.com",
                List.of("a@example.com"),
                "Link",
                "See <https://shop.example/r/abc> if 1 < 2",
                null)),
        Outbox.fromMoto(data));
  }

  @Test
  void motoRawMessagesFallBackToTheEnvelopeWhenHeadersAreMissing() throws Exception {
    JsonNode data =
        JSON.readTree(
            """
            {"ses": {"RawMessage": [
              {"id": "r1", "source": "shop@example.com",
               "destinations": ["a@example.com", "a@example.com", "b@example.com"],
               "raw_data": "Subject: bare\\r\\n\\r\\njust text"}
            ]}}
            """);

    assertEquals(
        List.of(
            new SentEmail(
                "shop@example.com",
                List.of("a@example.com", "b@example.com"),
                "bare",
                "just text",
                null)),
        Outbox.fromMoto(data));
  }

  @Test
  void motoWithoutAnySesStateHasNoMessages() throws Exception {
    assertEquals(List.of(), Outbox.fromMoto(JSON.readTree("{\"sqs\": {}}")));
  }

  @Test
  void localStackMessagesCarryBothBodiesAndRawOnesAreParsed() throws Exception {
    JsonNode data =
        JSON.readTree(
            """
            {"messages": [
              {"Id": "l1", "Region": "us-east-1", "Source": "shop@example.com",
               "Destination": {"ToAddresses": ["a@example.com"], "BccAddresses": ["x@example.com"]},
               "Subject": "Both", "Body": {"text_part": "plain", "html_part": "<p>rich</p>"},
               "Timestamp": "2026-01-01T00:00:00"},
              {"Id": "l2", "Region": "us-east-1", "Source": "shop@example.com",
               "RawData": "To: b@example.com\\nSubject: raw\\n\\nraw body",
               "Timestamp": "2026-01-01T00:00:01"}
            ]}
            """);

    assertEquals(
        List.of(
            new SentEmail(
                "shop@example.com", List.of("a@example.com"), "Both", "plain", "<p>rich</p>"),
            new SentEmail("shop@example.com", List.of("b@example.com"), "raw", "raw body", null)),
        Outbox.fromLocalStack(data));
  }
}
