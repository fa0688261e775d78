package dev.spur.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TemplateSecurityTest {

  private final Template template = Template.load(StackFixture.root().resolve("template.yaml"));

  @Test
  void adminRoutesNeedAwsCredentialsMerchantFactsATokenAndTheLinksInEmailsArePublic() {
    Map<String, String> authorizers = new TreeMap<>();
    for (String id : template.resourceIds("AWS::Serverless::Function")) {
      Map<String, Object> events = map(template.properties(id).get("Events"));
      for (var event : events.entrySet()) {
        Map<String, Object> definition = map(event.getValue());
        if (!"HttpApi".equals(definition.get("Type"))) {
          continue;
        }
        Map<String, Object> auth = map(map(definition.get("Properties")).get("Auth"));
        authorizers.put(event.getKey(), String.valueOf(auth.getOrDefault("Authorizer", "NONE")));
      }
    }
    assertEquals(
        Map.ofEntries(
            Map.entry("CreateCampaign", "AWS_IAM"),
            Map.entry("GetCampaign", "AWS_IAM"),
            Map.entry("GetCampaignMetrics", "AWS_IAM"),
            Map.entry("ReportSpend", "AWS_IAM"),
            Map.entry("ReviewReward", "AWS_IAM"),
            Map.entry("GetReferrer", "AWS_IAM"),
            Map.entry("GetLeaderboard", "AWS_IAM"),
            Map.entry("GetExperiment", "AWS_IAM"),
            Map.entry("AddSuppression", "AWS_IAM"),
            Map.entry("CreateLink", "AWS_IAM"),
            Map.entry("FollowLink", "NONE"),
            Map.entry("ConfirmUnsubscribe", "NONE"),
            Map.entry("Unsubscribe", "NONE"),
            Map.entry("RecordConversion", "ConversionToken"),
            // Orders, refunds and feedback come from the same checkout back end as conversions.
            Map.entry("RecordOrder", "ConversionToken"),
            Map.entry("RecordRefund", "ConversionToken"),
            Map.entry("RecordFeedback", "ConversionToken")),
        authorizers);
  }

  @Test
  void conversionTokensAreCheckedForTheDeployersIssuerAndAudience() {
    Map<String, Object> authorizer =
        map(map(map(template.properties("SpurApi").get("Auth")).get("Authorizers"))
            .get("ConversionToken"));
    assertEquals("$request.header.Authorization", authorizer.get("IdentitySource"));
    assertEquals(
        Map.of(
            "issuer", Map.of("Ref", "ConversionTokenIssuer"),
            "audience", List.of(Map.of("Ref", "ConversionTokenAudience"))),
        authorizer.get("JwtConfiguration"));
  }

  @Test
  void noPolicyStatementGrantsEveryAction() {
    List<String> actions = new ArrayList<>();
    collectActions(template.document(), actions);
    assertFalse(actions.isEmpty());
    for (String action : actions) {
      assertFalse(action.equals("*") || action.endsWith(":*"), action);
    }
  }

  private static void collectActions(Object node, List<String> actions) {
    if (node instanceof Map<?, ?> map) {
      for (var entry : map.entrySet()) {
        if ("Action".equals(entry.getKey())) {
          Object value = entry.getValue();
          if (value instanceof List<?> list) {
            list.forEach(item -> actions.add(String.valueOf(item)));
          } else {
            actions.add(String.valueOf(value));
          }
        } else {
          collectActions(entry.getValue(), actions);
        }
      }
    } else if (node instanceof List<?> list) {
      list.forEach(item -> collectActions(item, actions));
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
  }
}
