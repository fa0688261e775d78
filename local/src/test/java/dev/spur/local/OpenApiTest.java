package dev.spur.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** Keeps openapi.yaml in step with the HTTP API that template.yaml declares and with events/. */
class OpenApiTest {

  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
  // The IAM authorizer's refusal and throttling come from API Gateway, never from a function.
  private static final Set<String> GATEWAY_ONLY = Set.of("403", "429");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Map<String, Object> openApi;

  @BeforeAll
  static void load() throws IOException {
    String text =
        Files.readString(Fixtures.projectRoot().resolve("openapi.yaml"), StandardCharsets.UTF_8);
    openApi = new Yaml().load(text);
  }

  @Test
  void pathsAndMethodsAreExactlyTheTemplatesHttpApiRoutes() {
    Set<String> declared = new TreeSet<>();
    for (LambdaFunction function : Fixtures.projectTemplate().functions()) {
      for (Trigger.HttpRoute route : function.triggers(Trigger.HttpRoute.class)) {
        declared.add(route.routeKey());
      }
    }

    Set<String> described = new TreeSet<>();
    operations().forEach(operation -> described.add(operation.routeKey()));

    assertFalse(declared.isEmpty(), "template.yaml declares no HttpApi route");
    assertEquals(declared, described);
  }

  @Test
  void everyErrorAFunctionSendsIsAProblemDocument() {
    List<String> plainErrors = new ArrayList<>();
    for (Operation operation : operations()) {
      Template.mapAt(operation.definition(), "responses")
          .forEach(
              (key, response) -> {
                String status = String.valueOf(key);
                boolean fromFunction =
                    (status.startsWith("4") && !GATEWAY_ONLY.contains(status))
                        || status.startsWith("5");
                Map<String, Object> content = Template.mapAt(resolve(response), "content");
                if (fromFunction && !content.containsKey("application/problem+json")) {
                  plainErrors.add(operation.routeKey() + " " + status);
                }
              });
    }

    assertEquals(List.of(), plainErrors);
  }

  @Test
  void requestExamplesNamedAfterAnEventFileAreThatFilesBodyAndPath() throws IOException {
    int compared = 0;
    for (Operation operation : operations()) {
      Map<String, Object> body = resolve(operation.definition().get("requestBody"));
      Map<String, Object> json =
          Template.mapAt(Template.mapAt(body, "content"), "application/json");
      for (Object example : Template.mapAt(json, "examples").values()) {
        Map<String, Object> named = resolve(example);
        Path event = eventFile(named);
        if (event != null) {
          JsonNode sent = JSON.readTree(JSON.readTree(event.toFile()).get("body").textValue());
          assertEquals(
              sent, JSON.valueToTree(named.get("value")), operation.routeKey() + " and " + event);
          compared++;
        }
      }
      for (Object parameter : Template.listAt(operation.definition(), "parameters")) {
        Map<String, Object> declared = resolve(parameter);
        for (Object example : Template.mapAt(declared, "examples").values()) {
          Path event = eventFile(resolve(example));
          if (event != null) {
            JsonNode path = JSON.readTree(event.toFile()).get("pathParameters");
            assertEquals(
                path.get((String) declared.get("name")).textValue(),
                resolve(example).get("value"),
                operation.routeKey() + " and " + event);
            compared++;
          }
        }
      }
    }

    assertTrue(compared >= 6, "only " + compared + " examples name an event file");
  }

  private static Path eventFile(Map<String, Object> example) {
    Object summary = example.get("summary");
    if (!(summary instanceof String text) || !text.startsWith("events/")) {
      return null;
    }
    Path file = Fixtures.projectRoot().resolve(text.split(" ", 2)[0]);
    assertTrue(Files.isRegularFile(file), "an example names " + file + ", which does not exist");
    return file;
  }

  private static List<Operation> operations() {
    List<Operation> operations = new ArrayList<>();
    Template.mapAt(openApi, "paths")
        .forEach(
            (path, item) ->
                Template.asMap(item, "paths." + path)
                    .forEach(
                        (key, definition) -> {
                          if (METHODS.contains(key)) {
                            operations.add(
                                new Operation(
                                    key.toUpperCase(Locale.ROOT) + " " + path,
                                    Template.asMap(definition, path + "." + key)));
                          }
                        }));
    return operations;
  }

  /** Follows a local {@code $ref} such as {@code #/components/responses/Conflict}. */
  private static Map<String, Object> resolve(Object node) {
    if (node == null) {
      return Map.of();
    }
    Map<String, Object> map = Template.asMap(node, "a reference");
    Object reference = map.get("$ref");
    if (reference == null) {
      return map;
    }
    Object target = openApi;
    for (String part : ((String) reference).substring(2).split("/")) {
      target = Template.asMap(target, reference.toString()).get(part);
    }
    return resolve(target);
  }

  private record Operation(String routeKey, Map<String, Object> definition) {}
}
