package dev.spur.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sesv2.SesV2Client;

@Testcontainers(disabledWithoutDocker = true)
class LocalStackEmulatorTest {

  private static LocalStackEmulator localStack;

  @BeforeAll
  static void startLocalStack() {
    localStack = LocalStackEmulator.start();
    Emulators.configureSdk(localStack);
  }

  @AfterAll
  static void stopLocalStack() {
    if (localStack != null) {
      localStack.close();
    }
  }

  @Test
  void dynamoDbClientBuiltWithRegionOnlyRoundTripsAnItemThroughLocalStack() {
    assertEquals("localstack", localStack.kind());
    try (DynamoDbClient dynamo =
        DynamoDbClient.builder().region(Region.of(localStack.region())).build()) {
      dynamo.createTable(
          create ->
              create
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

      assertEquals(
          item,
          dynamo
              .getItem(
                  get ->
                      get.tableName("round-trip")
                          .key(Map.of("PK", AttributeValue.fromS("CAMPAIGN#spring")))
                          .consistentRead(true))
              .item());
    }
  }

  @Test
  void sesV2SendShowsUpInSentEmailsWithBothBodies() {
    try (SesV2Client ses = SesV2Client.builder().region(Region.of(localStack.region())).build()) {
      ses.createEmailIdentity(identity -> identity.emailIdentity("shop@shop.example"));

      ses.sendEmail(
          send ->
              send.fromEmailAddress("shop@shop.example")
                  .destination(d -> d.toAddresses("ann@example.org"))
                  .content(
                      c ->
                          c.simple(
                              m ->
                                  m.subject(s -> s.data("Welcome"))
                                      .body(
                                          b ->
                                              b.text(t -> t.data("Hello Ann"))
                                                  .html(h -> h.data("<p>Hello Ann</p>"))))));

      assertEquals(
          List.of(
              new SentEmail(
                  "shop@shop.example",
                  List.of("ann@example.org"),
                  "Welcome",
                  "Hello Ann",
                  "<p>Hello Ann</p>")),
          localStack.sentEmails());
    }
  }
}
