package dev.spur.local;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP API route bound to its function, matched the way API Gateway matches HTTP API routes:
 * {@code {name}} takes one path segment, a final {@code {name+}} takes the rest, and when several
 * routes match, the most specific wins (literal segments over variables, a method over {@code
 * ANY}, any route over {@code $default}).
 */
record RoutePattern(String functionId, String method, String routeKey, List<String> segments) {

  /** Orders routes most specific first. */
  static final Comparator<RoutePattern> MOST_SPECIFIC_FIRST =
      Comparator.comparing(RoutePattern::specificity, RoutePattern::compareSpecificity)
          .thenComparing(route -> route.method().equals("ANY"));

  static RoutePattern of(String functionId, Trigger.HttpRoute route) {
    List<String> segments =
        route.path().equals("$default") ? List.of() : splitPath(route.path());
    return new RoutePattern(functionId, route.method(), route.routeKey(), segments);
  }

  boolean isDefault() {
    return routeKey.equals("$default");
  }

  /** The path parameters when this route takes the request, decoded; empty otherwise. */
  Optional<Map<String, String>> match(String requestMethod, List<String> requestSegments) {
    if (!method.equals("ANY") && !method.equals(requestMethod)) {
      return Optional.empty();
    }
    if (isDefault()) {
      return Optional.of(Map.of());
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    for (int i = 0; i < segments.size(); i++) {
      String segment = segments.get(i);
      if (isGreedy(segment)) {
        if (i >= requestSegments.size()) {
          return Optional.empty();
        }
        parameters.put(
            name(segment), String.join("/", requestSegments.subList(i, requestSegments.size())));
        return Optional.of(parameters);
      }
      if (i >= requestSegments.size()) {
        return Optional.empty();
      }
      String actual = requestSegments.get(i);
      if (isVariable(segment)) {
        if (actual.isEmpty()) {
          return Optional.empty();
        }
        parameters.put(name(segment), actual);
      } else if (!segment.equals(actual)) {
        return Optional.empty();
      }
    }
    return segments.size() == requestSegments.size() ? Optional.of(parameters) : Optional.empty();
  }

  static List<String> splitPath(String path) {
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    List<String> parts = new ArrayList<>(List.of(trimmed.split("/", -1)));
    if (parts.size() == 1 && parts.get(0).isEmpty()) {
      return List.of();
    }
    return parts;
  }

  private List<Integer> specificity() {
    if (isDefault()) {
      return List.of(-1);
    }
    List<Integer> ranks = new ArrayList<>();
    for (String segment : segments) {
      ranks.add(isGreedy(segment) ? 0 : isVariable(segment) ? 1 : 2);
    }
    return ranks;
  }

  private static int compareSpecificity(List<Integer> left, List<Integer> right) {
    for (int i = 0; i < Math.min(left.size(), right.size()); i++) {
      int order = Integer.compare(right.get(i), left.get(i));
      if (order != 0) {
        return order;
      }
    }
    return Integer.compare(right.size(), left.size());
  }

  private static boolean isVariable(String segment) {
    return segment.startsWith("{") && segment.endsWith("}");
  }

  private static boolean isGreedy(String segment) {
    return isVariable(segment) && segment.endsWith("+}");
  }

  private static String name(String segment) {
    String inner = segment.substring(1, segment.length() - 1);
    return inner.endsWith("+") ? inner.substring(0, inner.length() - 1) : inner;
  }
}
