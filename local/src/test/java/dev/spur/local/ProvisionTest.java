package dev.spur.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spur.testkit.AwsEmulatorExtension;
import dev.spur.testkit.Emulator;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.Rule;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sqs.SqsClient;

@ExtendWith(AwsEmulatorExtension.class)
class ProvisionTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = Fixtures.freshPrefix("pv");

  private static LocalDeployment deployment;
  private static Region region;

  @BeforeAll
  static void provision(Emulator emulator) {
    region = Region.of(emulator.region());
    deployment = LocalDeployment.create(Fixtures.projectTemplate(), PREFIX);
    deployment.provision();
  }

  @AfterAll
  static void close() {
    deployment.close();
  }

  @Test
  void tableHasTheTemplatesKeysIndexesBillingAndTimeToLive() {
    try (DynamoDbClient dynamo = DynamoDbClient.builder().region(region).build()) {
      TableDescription table =
          dynamo.describeTable(request -> request.tableName(PREFIX + "SpurTable")).table();
      TimeToLiveDescription ttl =
          dynamo
              .describeTimeToLive(request -> request.tableName(PREFIX + "SpurTable"))
              .timeToLiveDescription();

      assertEquals(PREFIX + "SpurTable", deployment.tableName());
      assertEquals(
          List.of("PK HASH", "SK RANGE"),
          table.keySchema().stream()
              .map(key -> key.attributeName() + " " + key.keyTypeAsString())
              .toList());
      assertEquals(
          Map.of(
              "PK", "S", "SK", "S", "GSI1PK", "S", "GSI1SK", "S", "GSI2PK", "S", "GSI2SK", "S"),
          table.attributeDefinitions().stream()
              .collect(
                  java.util.stream.Collectors.toMap(
                      definition -> definition.attributeName(),
                      definition -> definition.attributeTypeAsString())));
      assertEquals(
          List.of("GSI1 GSI1PK HASH GSI1SK RANGE ALL", "GSI2 GSI2PK HASH GSI2SK RANGE ALL"),
          table.globalSecondaryIndexes().stream()
              .sorted(Comparator.comparing(GlobalSecondaryIndexDescription::indexName))
              .map(
                  index ->
                      index.indexName()
                          + " "
                          + String.join(
                              " ",
                              index.keySchema().stream()
                                  .map(key -> key.attributeName() + " " + key.keyTypeAsString())
                                  .toList())
                          + " "
                          + index.projection().projectionTypeAsString())
              .toList());
      assertEquals("PAY_PER_REQUEST", table.billingModeSummary().billingModeAsString());
      assertEquals("expiresAt", ttl.attributeName());
      assertEquals("ENABLED", ttl.timeToLiveStatusAsString());
    }
  }

  @Test
  void conversionRecordedRuleCarriesTheTemplatesPatternAndTargetsItsQueue() throws Exception {
    try (EventBridgeClient events = EventBridgeClient.builder().region(region).build()) {
      List<Rule> rules =
          events
              .listRules(request -> request.eventBusName(PREFIX + "SpurBus").namePrefix(PREFIX))
              .rules();
      List<Target> targets =
          events
              .listTargetsByRule(
                  request ->
                      request
                          .rule(PREFIX + "IssueRewardConversionRecorded")
                          .eventBusName(PREFIX + "SpurBus"))
              .targets();

      assertEquals(
          List.of(PREFIX + "IssueRewardConversionRecorded", PREFIX + "IssueRewardOrderRefunded",
              PREFIX + "IssueRewardRewardApproved"),
          rules.stream().map(Rule::name).sorted().toList());
      assertEquals(
          Map.of("source", List.of("spur"), "detail-type", List.of("ConversionRecorded")),
          JSON.readValue(
              rules.stream().filter(rule -> rule.name().endsWith("ConversionRecorded"))
                  .findFirst().orElseThrow().eventPattern(),
              Map.class));
      assertEquals(1, targets.size());
      assertTrue(
          targets.get(0).arn().endsWith(":" + PREFIX + "IssueRewardConversionRecorded"),
          targets.get(0).arn());
    }
  }

  @Test
  void busDeadLetterQueueAndSenderIdentityExist() {
    try (SqsClient sqs = SqsClient.builder().region(region).build();
        SesV2Client ses = SesV2Client.builder().region(region).build()) {
      String deadLetters =
          sqs.getQueueUrl(request -> request.queueName(PREFIX + "IssueRewardDeadLetterQueue"))
              .queueUrl();

      assertEquals(deadLetters, deployment.queueUrl("IssueRewardDeadLetterQueue"));
      assertEquals(PREFIX + "SpurBus", deployment.busName());
      assertTrue(
          ses.listEmailIdentities(request -> request.pageSize(1000)).emailIdentities().stream()
              .anyMatch(identity -> identity.identityName().equals("rewards@example.com")));
    }
  }

  @Test
  void environmentResolvesTheTemplateVariablesToLocalNames() {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("TABLE_NAME", PREFIX + "SpurTable");
    expected.put("BUS_NAME", PREFIX + "SpurBus");
    expected.put("SENDER_EMAIL", "rewards@example.com");
    expected.put("PUBLIC_BASE_URL", "http://127.0.0.1:3000");
    expected.put("AWS_REGION", region.id());
    expected.put("AWS_DEFAULT_REGION", region.id());
    expected.put("AWS_LAMBDA_FUNCTION_NAME", PREFIX + "IssueReward");
    expected.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
    expected.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");

    assertEquals(expected, deployment.environment("IssueReward"));
    assertEquals(
        List.of("TABLE_NAME", "BUS_NAME", "AWS_REGION"),
        deployment.environment("Campaigns").keySet().stream().limit(3).toList());
  }

  @Test
  void provisioningAgainChangesNothing() {
    try (EventBridgeClient events = EventBridgeClient.builder().region(region).build()) {
      deployment.provision();

      assertEquals(
          3,
          events
              .listRules(request -> request.eventBusName(PREFIX + "SpurBus").namePrefix(PREFIX))
              .rules()
              .size());
      assertEquals(
          1,
          events
              .listTargetsByRule(
                  request ->
                      request
                          .rule(PREFIX + "IssueRewardConversionRecorded")
                          .eventBusName(PREFIX + "SpurBus"))
              .targets()
              .size());
    }
  }
}
