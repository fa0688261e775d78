package dev.spur.allocation;

import java.util.ArrayList;
import java.util.List;

/** Reading and editing the learning allocator's model state as text, for tests. */
final class StateText {

  private StateText() {}

  /** Field {@code index} of a state: 0 the version, 1 the seed, 2 the buckets, 3 the entries. */
  static String field(String state, int index) {
    return state.split(";", -1)[index];
  }

  /** The named channel's entry in a state. */
  static String entry(String state, String channel) {
    for (String entry : field(state, 3).split(",")) {
      if (entry.startsWith(channel + ":")) {
        return entry;
      }
    }
    throw new AssertionError("no entry for " + channel + " in " + state);
  }

  /** The state with the named channel's entry left out. */
  static String withoutEntry(String state, String channel) {
    List<String> kept = new ArrayList<>();
    for (String entry : field(state, 3).split(",")) {
      if (!entry.startsWith(channel + ":")) {
        kept.add(entry);
      }
    }
    return field(state, 0) + ";" + field(state, 1) + ";" + field(state, 2) + ";"
        + String.join(",", kept);
  }
}
