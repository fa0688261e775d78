package dev.spur.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TemplateTest {

  private final Template template = Fixtures.projectTemplate();

  @Test
  void projectTemplateDeclaresEveryFunctionWithItsHandlerInOrder() {
    Map<String, String> handlers =
        Map.of(
            "Campaigns", "dev.spur.campaigns.CampaignsHandler::handleRequest",
            "CreateReferralLink", "dev.spur.links.CreateReferralLinkHandler::handleRequest",
            "TrackClick", "dev.spur.clicks.TrackClickHandler::handleRequest",
            "Unsubscribe", "dev.spur.unsubscribe.UnsubscribeHandler::handleRequest",
            "TrackConversion", "dev.spur.conversions.TrackConversionHandler::handleRequest",
            "IssueReward", "dev.spur.rewards.IssueRewardHandler::handleRequest",
            "ReallocateBudget", "dev.spur.budget.ReallocateBudgetHandler::handleRequest",
            "RedriveOutbox", "dev.spur.outbox.RedriveOutboxHandler::handleRequest",
            "Customers", "dev.spur.customers.CustomersHandler::handleRequest");

    List<String> ids = template.functions().stream().map(LambdaFunction::id).toList();

    assertEquals(
        List.of(
            "Campaigns",
            "CreateReferralLink",
            "TrackClick",
            "Unsubscribe",
            "TrackConversion",
            "IssueReward",
            "ReallocateBudget",
            "RedriveOutbox",
            "Customers"),
        ids);
    for (String id : ids) {
      assertEquals(handlers.get(id), template.function(id).handler(), id);
    }
    assertEquals("dev.spur.rewards.IssueRewardHandler", template.function("IssueReward")
        .handlerClass());
  }

  @Test
  void globalsGiveEveryFunctionMemoryTimeoutAndEnvironmentAndTwoFunctionsAddTheirOwn() {
    Map<String, Object> shared =
        Map.of("TABLE_NAME", Map.of("Ref", "SpurTable"), "BUS_NAME", Map.of("Ref", "SpurBus"));

    for (LambdaFunction function : template.functions()) {
      assertEquals(1024, function.memorySize(), function.id());
      assertEquals(
          function.id().equals("ReallocateBudget") ? 300 : 30,
          function.timeoutSeconds(),
          function.id());
      if (!function.id().equals("IssueReward") && !function.id().equals("RedriveOutbox")) {
        assertEquals(shared, function.environment(), function.id());
      }
    }
    assertEquals(
        Map.of(
            "TABLE_NAME", Map.of("Ref", "SpurTable"),
            "BUS_NAME", Map.of("Ref", "SpurBus"),
            "REDRIVE_GRACE_SECONDS", Map.of("Ref", "RedriveGraceSeconds")),
        template.function("RedriveOutbox").environment());
    assertEquals(
        Map.of(
            "TABLE_NAME", Map.of("Ref", "SpurTable"),
            "BUS_NAME", Map.of("Ref", "SpurBus"),
            "SENDER_EMAIL", Map.of("Ref", "SenderEmail"),
            "PUBLIC_BASE_URL", Map.of("Fn::If", List.of("HasPublicBaseUrl",
                Map.of("Ref", "PublicBaseUrl"),
                Map.of("Fn::Sub",
                    "https://${SpurApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}")))),
        template.function("IssueReward").environment());
    assertEquals(
        "functions/issue-reward/target/issue-reward.jar",
        template.function("IssueReward").codeUri());
    assertEquals(
        "functions/customers/target/customers.jar", template.function("Customers").codeUri());
  }

  @Test
  void httpRoutesAreTheContractedRouteKeysOnTheSpurApi() {
    List<String> routeKeys =
        template.functions().stream()
            .flatMap(function -> function.triggers(Trigger.HttpRoute.class).stream()
                .map(route -> function.id() + " " + route.routeKey()))
            .toList();

    assertEquals(
        List.of(
            "Campaigns POST /campaigns",
            "Campaigns GET /campaigns/{campaignId}",
            "Campaigns GET /campaigns/{campaignId}/metrics",
            "Campaigns POST /campaigns/{campaignId}/spend",
            "Campaigns POST /campaigns/{campaignId}/rewards/{orderId}/review",
            "Campaigns GET /campaigns/{campaignId}/referrers/{referrerId}",
            "Campaigns GET /campaigns/{campaignId}/leaderboard",
            "Campaigns POST /suppressions",
            "Campaigns GET /campaigns/{campaignId}/experiment",
            "CreateReferralLink POST /links",
            "TrackClick GET /r/{code}",
            "Unsubscribe GET /unsubscribe/{token}",
            "Unsubscribe POST /unsubscribe/{token}",
            "TrackConversion POST /conversions",
            "Customers POST /orders",
            "Customers POST /orders/{orderId}/refunds",
            "Customers POST /feedback"),
        routeKeys);
    for (LambdaFunction function : template.functions()) {
      for (Trigger.HttpRoute route : function.triggers(Trigger.HttpRoute.class)) {
        assertEquals(Map.of("Ref", "SpurApi"), route.apiId(), route.name());
      }
    }
  }

  @Test
  void issueRewardListensForConversionsApprovalsAndRefundsWithRetryPolicyAndDeadLetterQueue() {
    List<Trigger.BusRule> rules = template.function("IssueReward").triggers(Trigger.BusRule.class);

    assertEquals(
        List.of(
            new Trigger.BusRule(
                "ConversionRecorded",
                Map.of("Ref", "SpurBus"),
                Map.of("source", List.of("spur"), "detail-type", List.of("ConversionRecorded")),
                8,
                3600,
                Optional.of(
                    Map.of("Fn::GetAtt", List.of("IssueRewardDeadLetterQueue", "Arn")))),
            new Trigger.BusRule(
                "RewardApproved",
                Map.of("Ref", "SpurBus"),
                Map.of("source", List.of("spur"), "detail-type", List.of("RewardApproved")),
                8,
                3600,
                Optional.of(
                    Map.of("Fn::GetAtt", List.of("IssueRewardDeadLetterQueue", "Arn")))),
            new Trigger.BusRule(
                "OrderRefunded",
                Map.of("Ref", "SpurBus"),
                Map.of("source", List.of("spur"), "detail-type", List.of("OrderRefunded")),
                8,
                3600,
                Optional.of(
                    Map.of("Fn::GetAtt", List.of("IssueRewardDeadLetterQueue", "Arn"))))),
        rules);
  }

  @Test
  void schedulesComeFromTheParameterAndAFixedRate() {
    assertEquals(
        List.of(
            new Trigger.Schedule(
                "Reallocation", Map.of("Ref", "ReallocationSchedule"), true, Optional.empty())),
        template.function("ReallocateBudget").triggers(Trigger.Schedule.class));
    assertEquals(
        List.of(new Trigger.Schedule("Redrive", "rate(5 minutes)", true, Optional.empty())),
        template.function("RedriveOutbox").triggers(Trigger.Schedule.class));
    assertEquals(
        List.of(
            new Trigger.Schedule(
                "PayoutSchedule", Map.of("Ref", "PayoutSchedule"), true, Optional.empty())),
        template.function("IssueReward").triggers(Trigger.Schedule.class));
    assertEquals(
        Map.of(
            "SenderEmail", "rewards@example.com",
            "ReallocationSchedule", "rate(15 minutes)",
            "PayoutSchedule", "rate(1 hour)",
            "PublicBaseUrl", "",
            "LogRetentionDays", "30",
            "RedriveGraceSeconds", "30"),
        template.parameterDefaults());
  }

  @Test
  void tableHasTheKeysIndexesAndTimeToLiveAsWritten() {
    assertEquals(
        List.of(
            new TableDefinition(
                "SpurTable",
                Map.of(
                    "PK", "S", "SK", "S", "GSI1PK", "S", "GSI1SK", "S", "GSI2PK", "S", "GSI2SK",
                    "S"),
                new TableDefinition.KeySchema("PK", Optional.of("SK")),
                List.of(
                    new TableDefinition.GlobalIndex(
                        "GSI1", new TableDefinition.KeySchema("GSI1PK", Optional.of("GSI1SK")),
                        "ALL"),
                    new TableDefinition.GlobalIndex(
                        "GSI2", new TableDefinition.KeySchema("GSI2PK", Optional.of("GSI2SK")),
                        "ALL")),
                Optional.of("expiresAt"),
                "PAY_PER_REQUEST")),
        template.tables());
  }

  @Test
  void resourcesOfEachKindAreListedInTemplateOrder() {
    assertEquals(List.of("SpurBus"), template.resourceIds("AWS::Events::EventBus"));
    assertEquals(
        List.of("IssueRewardDeadLetterQueue"), template.resourceIds("AWS::SQS::Queue"));
    assertEquals(List.of("SenderIdentity"), template.resourceIds("AWS::SES::EmailIdentity"));
    assertEquals(List.of("SpurApi"), template.resourceIds("AWS::Serverless::HttpApi"));
  }

  @Test
  void shortFormTagsBecomeTheirLongForms() {
    Template parsed =
        Template.parse(
            String.join(
                "\n",
                "AWSTemplateFormatVersion: 2010-09-09",
                "Resources:",
                "  Thing:",
                "    Type: Custom::Thing",
                "    Properties:",
                "      A: !Ref Name",
                "      B: !GetAtt Queue.Arn",
                "      C: !Sub arn:${AWS::Partition}:x",
                "      D: !Sub ['${X}', {X: !Ref Y}]",
                "      E: !If [IsProd, yes-value, !Ref AWS::NoValue]",
                "      F: !Join [',', [a, !Select [0, !Split ['/', !Ref P]]]]",
                "      G: !Base64 text",
                "      H: !GetAtt [Queue, QueueName]",
                "Conditions:",
                "  IsProd: !Not [!Equals [!Ref Stage, prod]]",
                ""));

    assertEquals("2010-09-09", parsed.document().get("AWSTemplateFormatVersion"));
    assertEquals(
        Map.of(
            "A", Map.of("Ref", "Name"),
            "B", Map.of("Fn::GetAtt", List.of("Queue", "Arn")),
            "C", Map.of("Fn::Sub", "arn:${AWS::Partition}:x"),
            "D", Map.of("Fn::Sub", List.of("${X}", Map.of("X", Map.of("Ref", "Y")))),
            "E", Map.of("Fn::If", List.of("IsProd", "yes-value", Map.of("Ref", "AWS::NoValue"))),
            "F",
                Map.of(
                    "Fn::Join",
                    List.of(
                        ",",
                        List.of(
                            "a",
                            Map.of(
                                "Fn::Select",
                                List.of(
                                    0,
                                    Map.of(
                                        "Fn::Split", List.of("/", Map.of("Ref", "P")))))))),
            "G", Map.of("Fn::Base64", "text"),
            "H", Map.of("Fn::GetAtt", List.of("Queue", "QueueName"))),
        parsed.properties("Thing"));
    assertEquals(
        Map.of(
            "IsProd",
            Map.of("Fn::Not", List.of(Map.of("Fn::Equals", List.of(Map.of("Ref", "Stage"),
                "prod"))))),
        parsed.conditions());
  }

  @Test
  void globalsMergeMapsAddListsAndLetTheFunctionOverrideValues() {
    Template parsed =
        Template.parse(
            String.join(
                "\n",
                "Globals:",
                "  Function:",
                "    Timeout: 30",
                "    MemorySize: 256",
                "    Layers: [first]",
                "    Environment:",
                "      Variables:",
                "        SHARED: from-globals",
                "        REPLACED: {Ref: Old}",
                "Resources:",
                "  Fn:",
                "    Type: AWS::Serverless::Function",
                "    Properties:",
                "      Handler: a.B::handleRequest",
                "      Timeout: 5",
                "      Layers: [second]",
                "      Environment:",
                "        Variables:",
                "          OWN: own",
                "          REPLACED: !Sub plain-${AWS::Region}",
                ""));

    LambdaFunction function = parsed.function("Fn");

    assertEquals(5, function.timeoutSeconds());
    assertEquals(256, function.memorySize());
    assertEquals(
        Map.of(
            "SHARED", "from-globals",
            "REPLACED", Map.of("Fn::Sub", "plain-${AWS::Region}"),
            "OWN", "own"),
        function.environment());
    assertEquals(
        List.of("first", "second"),
        SamGlobals.merge(Map.of("Layers", List.of("first")), Map.of("Layers", List.of("second")))
            .get("Layers"));
  }

  @Test
  void unknownFunctionIsRefusedWithTheKnownOnes() {
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> template.function("Nope"));

    assertEquals(
        "No function Nope in the template; it has [Campaigns, CreateReferralLink, TrackClick,"
            + " Unsubscribe, TrackConversion, IssueReward, ReallocateBudget, RedriveOutbox,"
            + " Customers]",
        refused.getMessage());
  }
}
