package dev.spur.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IntrinsicsTest {

  private final Intrinsics intrinsics =
      new Intrinsics(
          Map.of("Stage", "prod", "Sender", "rewards@example.com"),
          Map.of(
              "IsProd", Map.of("Fn::Equals", List.of(Map.of("Ref", "Stage"), "prod")),
              "IsTest", Map.of("Fn::Not", List.of(Map.of("Condition", "IsProd")))),
          Map.of(
              "Table",
              new Intrinsics.PhysicalResource(
                  "t-Table", Map.of("Arn", "arn:aws:dynamodb:eu-west-1:111122223333:table/t"))),
          Map.of("AWS::Region", "eu-west-1", "AWS::AccountId", "111122223333"));

  @Test
  void refGivesParametersPseudoParametersAndResourceNames() {
    assertEquals("rewards@example.com", intrinsics.resolve(Map.of("Ref", "Sender")));
    assertEquals("eu-west-1", intrinsics.resolve(Map.of("Ref", "AWS::Region")));
    assertEquals("t-Table", intrinsics.resolve(Map.of("Ref", "Table")));
  }

  @Test
  void subFillsReferencesAttributesVariablesAndKeepsEscapedPlaceholders() {
    Object resolved =
        intrinsics.resolve(
            Map.of(
                "Fn::Sub",
                List.of(
                    "${Table.Arn}/index/* in ${AWS::Region} for ${Who} at ${!Literal}",
                    Map.of("Who", Map.of("Ref", "Stage")))));

    assertEquals(
        "arn:aws:dynamodb:eu-west-1:111122223333:table/t/index/* in eu-west-1 for prod at"
            + " ${Literal}",
        resolved);
  }

  @Test
  void ifChoosesByConditionAndNoValueDropsTheKey() {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("Kept", Map.of("Fn::If", List.of("IsProd", "big", "small")));
    properties.put(
        "Dropped", Map.of("Fn::If", List.of("IsTest", "x", Map.of("Ref", "AWS::NoValue"))));

    assertEquals(Map.of("Kept", "big"), intrinsics.resolve(properties));
  }

  @Test
  void joinSelectAndSplitCompose() {
    Object value =
        Map.of(
            "Fn::Join",
            List.of(
                "-",
                List.of(
                    Map.of("Fn::Select", List.of(1, Map.of("Fn::Split", List.of(":", "a:b:c")))),
                    Map.of("Ref", "Stage"))));

    assertEquals("b-prod", intrinsics.resolve(value));
  }

  @Test
  void unsupportedFunctionsAndUnknownNamesAreRefusedByName() {
    IllegalArgumentException function =
        assertThrows(
            IllegalArgumentException.class,
            () -> intrinsics.resolve(Map.of("Fn::ImportValue", "SharedVpc")));
    IllegalArgumentException name =
        assertThrows(
            IllegalArgumentException.class, () -> intrinsics.resolve(Map.of("Ref", "Missing")));

    assertEquals("Fn::ImportValue is not supported by the local stack", function.getMessage());
    assertEquals(
        "Ref Missing: no such parameter with a value, or resource the local stack makes",
        name.getMessage());
  }
}
