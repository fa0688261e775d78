package dev.spur.local;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves CloudFormation intrinsic functions in template values against local names: {@code
 * Ref}, {@code Fn::GetAtt}, {@code Fn::Sub}, {@code Fn::Join}, {@code Fn::Select}, {@code
 * Fn::Split}, {@code Fn::If} with the template's conditions, and {@code Fn::Base64}.
 *
 * <p>Anything else ({@code Fn::ImportValue}, {@code Fn::FindInMap}, ...) is refused with the
 * function's name, since no local value would be right for it.
 */
final class Intrinsics {

  /** What a resource's {@code Ref} and {@code Fn::GetAtt} give locally. */
  record PhysicalResource(String ref, Map<String, String> attributes) {}

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
  private static final Object NO_VALUE = new Object();

  private final Map<String, String> parameters;
  private final Map<String, Object> conditions;
  private final Map<String, PhysicalResource> resources;
  private final Map<String, String> pseudoParameters;

  Intrinsics(
      Map<String, String> parameters,
      Map<String, Object> conditions,
      Map<String, PhysicalResource> resources,
      Map<String, String> pseudoParameters) {
    this.parameters = Map.copyOf(parameters);
    this.conditions = Map.copyOf(conditions);
    this.resources = Map.copyOf(resources);
    this.pseudoParameters = Map.copyOf(pseudoParameters);
  }

  /** Whether a mapping is one intrinsic function call such as {@code {"Ref": "X"}}. */
  static boolean isIntrinsic(Map<?, ?> map) {
    if (map.size() != 1) {
      return false;
    }
    Object key = map.keySet().iterator().next();
    return key instanceof String name
        && (name.equals("Ref") || name.equals("Condition") || name.startsWith("Fn::"));
  }

  /** The value with every intrinsic function replaced by its result. */
  Object resolve(Object value) {
    Object resolved = resolveOrNoValue(value);
    return resolved == NO_VALUE ? null : resolved;
  }

  /** The value resolved to text; a number or boolean becomes its usual spelling. */
  String text(Object value) {
    Object resolved = resolve(value);
    if (resolved == null) {
      throw new IllegalArgumentException("No value for " + value);
    }
    return Template.scalarText(resolved);
  }

  private Object resolveOrNoValue(Object value) {
    if (value instanceof Map<?, ?> map) {
      if (isIntrinsic(map)) {
        Map.Entry<?, ?> call = map.entrySet().iterator().next();
        return call((String) call.getKey(), call.getValue());
      }
      Map<String, Object> resolved = new LinkedHashMap<>();
      map.forEach(
          (key, item) -> {
            Object result = resolveOrNoValue(item);
            if (result != NO_VALUE) {
              resolved.put((String) key, result);
            }
          });
      return resolved;
    }
    if (value instanceof List<?> list) {
      List<Object> resolved = new ArrayList<>();
      for (Object item : list) {
        Object result = resolveOrNoValue(item);
        if (result != NO_VALUE) {
          resolved.add(result);
        }
      }
      return resolved;
    }
    return value;
  }

  private Object call(String function, Object argument) {
    return switch (function) {
      case "Ref" -> ref(text(argument));
      case "Fn::GetAtt" -> getAtt(argument);
      case "Fn::Sub" -> sub(argument);
      case "Fn::Join" -> join(argument);
      case "Fn::Select" -> select(argument);
      case "Fn::Split" -> split(argument);
      case "Fn::If" -> choose(argument);
      case "Fn::Base64" ->
          Base64.getEncoder().encodeToString(text(argument).getBytes(StandardCharsets.UTF_8));
      default ->
          throw new IllegalArgumentException(function + " is not supported by the local stack");
    };
  }

  private Object ref(String name) {
    if (name.equals("AWS::NoValue")) {
      return NO_VALUE;
    }
    if (pseudoParameters.containsKey(name)) {
      return pseudoParameters.get(name);
    }
    if (parameters.containsKey(name)) {
      return parameters.get(name);
    }
    PhysicalResource resource = resources.get(name);
    if (resource == null) {
      throw new IllegalArgumentException(
          "Ref " + name + ": no such parameter with a value, or resource the local stack makes");
    }
    return resource.ref();
  }

  private String getAtt(Object argument) {
    List<Object> parts = arguments(argument, 2, "Fn::GetAtt");
    String id = text(parts.get(0));
    String attribute = text(parts.get(1));
    PhysicalResource resource = resources.get(id);
    if (resource == null || !resource.attributes().containsKey(attribute)) {
      throw new IllegalArgumentException(
          "Fn::GetAtt " + id + "." + attribute + ": not known to the local stack");
    }
    return resource.attributes().get(attribute);
  }

  private String sub(Object argument) {
    String template;
    Map<String, Object> variables = Map.of();
    if (argument instanceof List<?>) {
      List<Object> parts = arguments(argument, 2, "Fn::Sub");
      template = (String) parts.get(0);
      variables = Template.asMap(parts.get(1), "Fn::Sub variables");
    } else {
      template = (String) argument;
    }
    StringBuilder out = new StringBuilder();
    Matcher matcher = PLACEHOLDER.matcher(template);
    int last = 0;
    while (matcher.find()) {
      out.append(template, last, matcher.start());
      String name = matcher.group(1);
      if (name.startsWith("!")) {
        // ${!Literal} writes ${Literal} unchanged.
        out.append("${").append(name.substring(1)).append('}');
      } else if (variables.containsKey(name)) {
        out.append(text(variables.get(name)));
      } else if (name.contains(".") && !name.startsWith("AWS::")) {
        int dot = name.indexOf('.');
        out.append(getAtt(List.of(name.substring(0, dot), name.substring(dot + 1))));
      } else {
        out.append(Template.scalarText(ref(name)));
      }
      last = matcher.end();
    }
    out.append(template.substring(last));
    return out.toString();
  }

  private String join(Object argument) {
    List<Object> parts = arguments(argument, 2, "Fn::Join");
    String delimiter = text(parts.get(0));
    Object items = resolve(parts.get(1));
    if (!(items instanceof List<?> list)) {
      throw new IllegalArgumentException("Fn::Join needs a list, got " + items);
    }
    return String.join(delimiter, list.stream().map(Template::scalarText).toList());
  }

  private Object select(Object argument) {
    List<Object> parts = arguments(argument, 2, "Fn::Select");
    int index = Integer.parseInt(text(parts.get(0)));
    Object items = resolve(parts.get(1));
    if (!(items instanceof List<?> list) || index < 0 || index >= list.size()) {
      throw new IllegalArgumentException("Fn::Select " + index + " is outside " + items);
    }
    return list.get(index);
  }

  private List<String> split(Object argument) {
    List<Object> parts = arguments(argument, 2, "Fn::Split");
    String delimiter = text(parts.get(0));
    return List.of(text(parts.get(1)).split(Pattern.quote(delimiter), -1));
  }

  private Object choose(Object argument) {
    List<Object> parts = arguments(argument, 3, "Fn::If");
    boolean holds = condition(text(parts.get(0)));
    return resolveOrNoValue(parts.get(holds ? 1 : 2));
  }

  /** Evaluates a named condition of the template's {@code Conditions} section. */
  boolean condition(String name) {
    Object declaration = conditions.get(name);
    if (declaration == null) {
      throw new IllegalArgumentException("No condition " + name + " in the template");
    }
    return test(declaration);
  }

  private boolean test(Object expression) {
    if (expression instanceof Boolean value) {
      return value;
    }
    Map<String, Object> call = Template.asMap(expression, "condition");
    if (!isIntrinsic(call)) {
      throw new IllegalArgumentException("Not a condition: " + expression);
    }
    Map.Entry<String, Object> entry = call.entrySet().iterator().next();
    return switch (entry.getKey()) {
      case "Condition" -> condition(text(entry.getValue()));
      case "Fn::Equals" -> {
        List<Object> sides = arguments(entry.getValue(), 2, "Fn::Equals");
        yield text(sides.get(0)).equals(text(sides.get(1)));
      }
      case "Fn::Not" -> !test(arguments(entry.getValue(), 1, "Fn::Not").get(0));
      case "Fn::And" -> listOf(entry.getValue(), "Fn::And").stream().allMatch(this::test);
      case "Fn::Or" -> listOf(entry.getValue(), "Fn::Or").stream().anyMatch(this::test);
      default ->
          throw new IllegalArgumentException(entry.getKey() + " is not a condition function");
    };
  }

  private static List<Object> arguments(Object argument, int count, String function) {
    List<Object> list = listOf(argument, function);
    if (list.size() != count) {
      throw new IllegalArgumentException(
          function + " takes " + count + " arguments, got " + list.size());
    }
    return list;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> listOf(Object argument, String function) {
    if (argument instanceof List<?> list) {
      return (List<Object>) list;
    }
    throw new IllegalArgumentException(function + " takes a list, got " + argument);
  }
}
