package dev.spur.local.probes;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the probe handlers received, kept per stack so that tests do not see each other's. */
public final class Probe {

  private static final ConcurrentMap<String, List<String>> RECEIVED = new ConcurrentHashMap<>();

  private Probe() {}

  static int record(String stack, String event) {
    List<String> events = RECEIVED.computeIfAbsent(stack, key -> new CopyOnWriteArrayList<>());
    events.add(event);
    return events.size();
  }

  /** Every event a handler of this stack received, in order, attempts included. */
  public static List<String> received(String stack) {
    return List.copyOf(RECEIVED.getOrDefault(stack, List.of()));
  }
}
