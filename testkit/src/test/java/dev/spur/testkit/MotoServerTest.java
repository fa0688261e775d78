package dev.spur.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.Body;
import software.amazon.awssdk.services.sesv2.model.Content;
import software.amazon.awssdk.services.sesv2.model.Destination;
import software.amazon.awssdk.services.sesv2.model.EmailContent;
import software.amazon.awssdk.services.sesv2.model.Message;
import software.amazon.awssdk.services.sesv2.model.MessageRejectedException;
import software.amazon.awssdk.services.sesv2.model.RawMessage;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;

class MotoServerTest {

  private static MotoServer moto;

  @BeforeAll
  static void startMoto() {
    moto = MotoServer.start(ProjectRoot.locate());
    Emulators.configureSdk(moto);
  }

  @AfterAll
  static void stopMoto() {
    moto.close();
  }

  @Test
  void servesOnALoopbackPortInUsEast1() {
    assertEquals("moto", moto.kind());
    assertEquals("us-east-1", moto.region());
    assertEquals("http", moto.endpoint().getScheme());
    assertEquals("127.0.0.1", moto.endpoint().getHost());
    assertTrue(moto.endpoint().getPort() > 0);
  }

  @Test
  void dynamoDbClientBuiltWithRegionOnlyRoundTripsAnItemThroughMoto() {
    try (DynamoDbClient dynamo = DynamoDbClient.builder().region(Region.US_EAST_1).build()) {
      dynamo.createTable(
          table ->
              table
                  .tableName("round-trip")
                  .billingMode(BillingMode.PAY_PER_REQUEST)
                  .attributeDefinitions(
                      AttributeDefinition.builder()
                          .attributeName("PK")
                          .attributeType(ScalarAttributeType.S)
                          .build())
                  .keySchema(
                      KeySchemaElement.builder()
                          .attributeName("PK")
                          .keyType(KeyType.HASH)
                          .build()));
      Map<String, AttributeValue> item =
          Map.of(
              "PK", AttributeValue.fromS("CAMPAIGN#spring"),
              "budget", AttributeValue.fromN("125000"));

      dynamo.putItem(put -> put.tableName("round-trip").item(item));
      Map<String, AttributeValue> read =
          dynamo
              .getItem(
                  get ->
                      get.tableName("round-trip")
                          .key(Map.of("PK", AttributeValue.fromS("CAMPAIGN#spring")))
                          .consistentRead(true))
              .item();

      assertEquals(item, read);
      assertEquals(List.of("round-trip"), dynamo.listTables().tableNames());
    }
  }

  @Test
  void sesV2PlainTextSendShowsUpInSentEmails() {
    try (SesV2Client ses = SesV2Client.builder().region(Region.US_EAST_1).build()) {
      ses.createEmailIdentity(identity -> identity.emailIdentity("plain@shop.example"));

      ses.sendEmail(
          simple(
              "plain@shop.example",
              Destination.builder()
                  .toAddresses("ann@example.org", "bo@example.org")
                  .ccAddresses("cc@example.org")
                  .build(),
              "Your reward is here",
              Body.builder().text(text("You earned 500 points.")).build()));

      assertEquals(
          List.of(
              new SentEmail(
                  "plain@shop.example",
                  List.of("ann@example.org", "bo@example.org"),
                  "Your reward is here",
                  "You earned 500 points.",
                  null)),
          sentFrom("plain@shop.example"));
    }
  }

  @Test
  void sesV2HtmlSendIsReportedAsHtmlBecauseMotoKeepsOnlyThatPart() {
    try (SesV2Client ses = SesV2Client.builder().region(Region.US_EAST_1).build()) {
      ses.createEmailIdentity(identity -> identity.emailIdentity("html@shop.example"));

      ses.sendEmail(
          simple(
              "html@shop.example",
              Destination.builder().toAddresses("ann@example.org").build(),
              "Welcome",
              Body.builder()
                  .text(text("Hello Ann"))
                  .html(text("<p>Hello <b>Ann</b></p>"))
                  .build()));

      assertEquals(
          List.of(
              new SentEmail(
                  "html@shop.example",
                  List.of("ann@example.org"),
                  "Welcome",
                  null,
                  "<p>Hello <b>Ann</b></p>")),
          sentFrom("html@shop.example"));
    }
  }

  @Test
  void sesV2RawSendIsReadBackFromItsMimeParts() {
    String mime =
        String.join(
            "\r\n",
            "From: Shop <raw@shop.example>",
            "To: \"Lee, Ann\" <ann@example.org>, bo@example.org",
            "Subject: =?UTF-8?B?R3LDvA==?= =?UTF-8?Q?=C3=9Fe?=",
            "MIME-Version: 1.0",
            "Content-Type: multipart/alternative; boundary=\"b1\"",
            "",
            "--b1",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            "Gr=C3=BC=C3=9Fe, Ann. A long line that was wrapped by the =",
            "sender.",
            "--b1",
            "Content-Type: text/html; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
            "",
            "PHA+R3LDvMOfZTwvcD4=",
            "--b1--",
            "");
    try (SesV2Client ses = SesV2Client.builder().region(Region.US_EAST_1).build()) {
      ses.createEmailIdentity(identity -> identity.emailIdentity("raw@shop.example"));

      ses.sendEmail(
          send ->
              send.fromEmailAddress("raw@shop.example")
                  .destination(
                      Destination.builder()
                          .toAddresses("ann@example.org", "bo@example.org")
                          .build())
                  .content(
                      EmailContent.builder()
                          .raw(RawMessage.builder().data(SdkBytes.fromUtf8String(mime)).build())
                          .build()));

      assertEquals(
          List.of(
              new SentEmail(
                  "Shop <raw@shop.example>",
                  List.of("\"Lee, Ann\" <ann@example.org>", "bo@example.org"),
                  "Grüße",
                  "Grüße, Ann. A long line that was wrapped by the sender.",
                  "<p>Grüße</p>")),
          moto.sentEmails().stream()
              .filter(message -> message.from().contains("raw@shop.example"))
              .toList());
    }
  }

  @Test
  void sesV2RefusesASenderWithoutIdentityAndRecordsNothing() {
    try (SesV2Client ses = SesV2Client.builder().region(Region.US_EAST_1).build()) {
      SendEmailRequest send =
          simple(
              "stranger@elsewhere.example",
              Destination.builder().toAddresses("ann@example.org").build(),
              "Hi",
              Body.builder().text(text("Hi")).build());

      assertThrows(MessageRejectedException.class, () -> ses.sendEmail(send));

      assertEquals(List.of(), sentFrom("stranger@elsewhere.example"));
    }
  }

  @Test
  void closeEndsMotoAndItsWatchdogAndFreesThePort() {
    MotoServer second = MotoServer.start(ProjectRoot.locate());
    List<ProcessHandle> tree =
        Stream.concat(Stream.of(second.processHandle()), second.processHandle().descendants())
            .toList();
    int port = second.endpoint().getPort();
    assertEquals(2, tree.size());
    assertTrue(tree.stream().allMatch(ProcessHandle::isAlive));

    second.close();

    assertFalse(tree.stream().anyMatch(ProcessHandle::isAlive));
    assertThrows(ConnectException.class, () -> connect(port));
  }

  private static SendEmailRequest simple(
      String from, Destination destination, String subject, Body body) {
    return SendEmailRequest.builder()
        .fromEmailAddress(from)
        .destination(destination)
        .content(
            EmailContent.builder()
                .simple(Message.builder().subject(text(subject)).body(body).build())
                .build())
        .build();
  }

  private static Content text(String data) {
    return Content.builder().data(data).build();
  }

  private static List<SentEmail> sentFrom(String from) {
    return moto.sentEmails().stream().filter(message -> message.from().equals(from)).toList();
  }

  private static void connect(int port) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.getPort();
    }
  }
}
