package dev.spur.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A SAM template read from YAML: its parameters, its functions with {@code Globals} merged in the
 * way SAM merges them, and the resources the local stack creates.
 *
 * <p>Values keep their intrinsic functions in long form ({@code {"Ref": "SpurTable"}}); {@link
 * LocalDeployment} resolves them against the names it gives each resource.
 */
public final class Template {

  private static final String FUNCTION_TYPE = "AWS::Serverless::Function";
  private static final String TABLE_TYPE = "AWS::DynamoDB::Table";

  private final Map<String, Object> document;
  private final Map<String, Map<String, Object>> resources;
  private final List<LambdaFunction> functions;

  private Template(Map<String, Object> document) {
    this.document = document;
    this.resources = readResources(document);
    this.functions = readFunctions();
  }

  /** Reads and parses a template file. */
  public static Template load(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read template " + file, e);
    }
  }

  /** Parses template text. */
  public static Template parse(String yaml) {
    return new Template(CloudFormationYaml.parse(yaml));
  }

  /** The whole document as parsed, short-form tags already in long form. */
  public Map<String, Object> document() {
    return Collections.unmodifiableMap(document);
  }

  /** Each parameter's default value as text; parameters without a default are left out. */
  public Map<String, String> parameterDefaults() {
    Map<String, String> defaults = new LinkedHashMap<>();
    mapAt(document, "Parameters")
        .forEach(
            (name, declaration) -> {
              Object value = asMap(declaration, "Parameters." + name).get("Default");
              if (value != null) {
                defaults.put(name, scalarText(value));
              }
            });
    return defaults;
  }

  /** The template's {@code Conditions} section as written. */
  public Map<String, Object> conditions() {
    return mapAt(document, "Conditions");
  }

  /** Logical ids of every resource of one type, in template order. */
  public List<String> resourceIds(String type) {
    return resources.entrySet().stream()
        .filter(entry -> type.equals(entry.getValue().get("Type")))
        .map(Map.Entry::getKey)
        .toList();
  }

  /** A resource's type, such as {@code AWS::SQS::Queue}. */
  public String resourceType(String id) {
    return (String) resource(id).get("Type");
  }

  /** A resource's {@code Properties} as written (empty when it has none). */
  public Map<String, Object> properties(String id) {
    return mapAt(resource(id), "Properties");
  }

  /** Whether a logical id names a resource of this template. */
  public boolean hasResource(String id) {
    return resources.containsKey(id);
  }

  /** Every serverless function, in template order. */
  public List<LambdaFunction> functions() {
    return functions;
  }

  /** The function with this logical id. */
  public LambdaFunction function(String id) {
    return functions.stream()
        .filter(function -> function.id().equals(id))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "No function " + id + " in the template; it has " + functionIds()));
  }

  /** Every DynamoDB table, in template order. */
  public List<TableDefinition> tables() {
    return resourceIds(TABLE_TYPE).stream().map(this::table).toList();
  }

  private List<String> functionIds() {
    return functions.stream().map(LambdaFunction::id).toList();
  }

  private TableDefinition table(String id) {
    Map<String, Object> properties = properties(id);
    Map<String, String> attributeTypes = new LinkedHashMap<>();
    for (Object definition : listAt(properties, "AttributeDefinitions")) {
      Map<String, Object> attribute = asMap(definition, id + ".AttributeDefinitions");
      attributeTypes.put(
          (String) attribute.get("AttributeName"), (String) attribute.get("AttributeType"));
    }
    List<TableDefinition.GlobalIndex> indexes = new ArrayList<>();
    for (Object declared : listAt(properties, "GlobalSecondaryIndexes")) {
      Map<String, Object> index = asMap(declared, id + ".GlobalSecondaryIndexes");
      Object projection = mapAt(index, "Projection").getOrDefault("ProjectionType", "ALL");
      indexes.add(
          new TableDefinition.GlobalIndex(
              (String) index.get("IndexName"),
              keySchema(listAt(index, "KeySchema"), id),
              (String) projection));
    }
    Map<String, Object> ttl = mapAt(properties, "TimeToLiveSpecification");
    Optional<String> ttlAttribute =
        Boolean.TRUE.equals(ttl.get("Enabled"))
            ? Optional.of((String) ttl.get("AttributeName"))
            : Optional.empty();
    String billingMode = (String) properties.getOrDefault("BillingMode", "PROVISIONED");
    return new TableDefinition(
        id,
        attributeTypes,
        keySchema(listAt(properties, "KeySchema"), id),
        List.copyOf(indexes),
        ttlAttribute,
        billingMode);
  }

  private static TableDefinition.KeySchema keySchema(List<Object> elements, String where) {
    String hash = null;
    String range = null;
    for (Object element : elements) {
      Map<String, Object> key = asMap(element, where + ".KeySchema");
      String name = (String) key.get("AttributeName");
      if ("HASH".equals(key.get("KeyType"))) {
        hash = name;
      } else if ("RANGE".equals(key.get("KeyType"))) {
        range = name;
      }
    }
    if (hash == null) {
      throw new IllegalArgumentException(where + ": a key schema needs a HASH key");
    }
    return new TableDefinition.KeySchema(hash, Optional.ofNullable(range));
  }

  private Map<String, Object> resource(String id) {
    Map<String, Object> resource = resources.get(id);
    if (resource == null) {
      throw new IllegalArgumentException("No resource " + id + " in the template");
    }
    return resource;
  }

  private static Map<String, Map<String, Object>> readResources(Map<String, Object> document) {
    Map<String, Map<String, Object>> resources = new LinkedHashMap<>();
    mapAt(document, "Resources")
        .forEach((id, resource) -> resources.put(id, asMap(resource, "Resources." + id)));
    if (resources.isEmpty()) {
      throw new IllegalArgumentException("The template has no Resources");
    }
    return resources;
  }

  private List<LambdaFunction> readFunctions() {
    Map<String, Object> globals = mapAt(mapAt(document, "Globals"), "Function");
    List<LambdaFunction> found = new ArrayList<>();
    for (String id : resourceIds(FUNCTION_TYPE)) {
      Map<String, Object> merged = SamGlobals.merge(globals, properties(id));
      String handler = (String) merged.get("Handler");
      if (handler == null) {
        throw new IllegalArgumentException(id + ": a function needs a Handler");
      }
      Map<String, Object> environment =
          new LinkedHashMap<>(mapAt(mapAt(merged, "Environment"), "Variables"));
      List<Trigger> triggers = new ArrayList<>();
      mapAt(merged, "Events")
          .forEach(
              (name, event) ->
                  trigger(id, name, asMap(event, id + ".Events." + name)).ifPresent(triggers::add));
      found.add(
          new LambdaFunction(
              id,
              handler,
              scalarText(merged.getOrDefault("CodeUri", "")),
              intValue(merged.getOrDefault("MemorySize", 128), id + ".MemorySize"),
              intValue(merged.getOrDefault("Timeout", 3), id + ".Timeout"),
              Collections.unmodifiableMap(environment),
              List.copyOf(triggers)));
    }
    return List.copyOf(found);
  }

  // Event kinds the local stack does not run (SQS, S3, ...) are left out rather than refused, so
  // the rest of the stack still runs.
  private static Optional<Trigger> trigger(
      String function, String name, Map<String, Object> event) {
    Map<String, Object> properties = mapAt(event, "Properties");
    String where = function + ".Events." + name;
    return switch (String.valueOf(event.get("Type"))) {
      case "HttpApi" -> Optional.of(httpRoute(name, properties));
      case "EventBridgeRule" -> Optional.of(busRule(name, properties, where));
      case "Schedule" -> Optional.of(schedule(name, properties));
      default -> Optional.empty();
    };
  }

  private static Trigger.HttpRoute httpRoute(String name, Map<String, Object> properties) {
    Object method = properties.get("Method");
    Object path = properties.get("Path");
    if (path == null || method == null) {
      return new Trigger.HttpRoute(name, "ANY", "$default", properties.get("ApiId"));
    }
    String normalised = ((String) method).toUpperCase(java.util.Locale.ROOT);
    return new Trigger.HttpRoute(name, normalised, (String) path, properties.get("ApiId"));
  }

  private static Trigger.BusRule busRule(
      String name, Map<String, Object> properties, String where) {
    Map<String, Object> retry = mapAt(properties, "RetryPolicy");
    Map<String, Object> deadLetter = mapAt(properties, "DeadLetterConfig");
    return new Trigger.BusRule(
        name,
        properties.get("EventBusName"),
        Collections.unmodifiableMap(mapAt(properties, "Pattern")),
        intValue(
            retry.getOrDefault("MaximumRetryAttempts", Trigger.BusRule.DEFAULT_RETRY_ATTEMPTS),
            where + ".RetryPolicy.MaximumRetryAttempts"),
        intValue(
            retry.getOrDefault(
                "MaximumEventAgeInSeconds", Trigger.BusRule.DEFAULT_EVENT_AGE_SECONDS),
            where + ".RetryPolicy.MaximumEventAgeInSeconds"),
        Optional.ofNullable(deadLetter.get("Arn")));
  }

  private static Trigger.Schedule schedule(String name, Map<String, Object> properties) {
    boolean enabled =
        !"DISABLED".equals(properties.get("State"))
            && !Boolean.FALSE.equals(properties.get("Enabled"));
    return new Trigger.Schedule(
        name,
        properties.get("Schedule"),
        enabled,
        Optional.ofNullable(properties.get("Input")));
  }

  static String scalarText(Object value) {
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    throw new IllegalArgumentException("Expected a plain value, got " + value);
  }

  private static int intValue(Object value, String where) {
    if (value instanceof Number number) {
      return number.intValue();
    }
    if (value instanceof String text) {
      try {
        return Integer.parseInt(text.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(where + " must be a whole number, got " + text, e);
      }
    }
    throw new IllegalArgumentException(where + " must be a whole number, got " + value);
  }

  static Map<String, Object> mapAt(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    return value == null ? Map.of() : asMap(value, key);
  }

  static List<Object> listAt(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    if (value == null) {
      return List.of();
    }
    if (value instanceof List<?> list) {
      @SuppressWarnings("unchecked")
      List<Object> typed = (List<Object>) list;
      return typed;
    }
    throw new IllegalArgumentException(key + " must be a list, got " + value);
  }

  static Map<String, Object> asMap(Object value, String where) {
    if (value instanceof Map<?, ?> map) {
      @SuppressWarnings("unchecked")
      Map<String, Object> typed = (Map<String, Object>) map;
      return typed;
    }
    throw new IllegalArgumentException(where + " must be a mapping, got " + value);
  }
}
