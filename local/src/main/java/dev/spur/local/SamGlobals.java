package dev.spur.local;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges a template's {@code Globals.Function} into one function's properties the way SAM does:
 * mappings merge key by key, lists add the function's entries after the global ones, and any
 * other value (an intrinsic function included) on the function replaces the global one.
 */
final class SamGlobals {

  private SamGlobals() {}

  static Map<String, Object> merge(Map<String, Object> globals, Map<String, Object> local) {
    Map<String, Object> merged = new LinkedHashMap<>(globals);
    local.forEach((key, value) -> merged.merge(key, value, SamGlobals::combine));
    return merged;
  }

  @SuppressWarnings("unchecked")
  private static Object combine(Object global, Object local) {
    if (isPlainMap(global) && isPlainMap(local)) {
      return merge((Map<String, Object>) global, (Map<String, Object>) local);
    }
    if (global instanceof List<?> globalList && local instanceof List<?> localList) {
      List<Object> combined = new ArrayList<>(globalList);
      combined.addAll(localList);
      return combined;
    }
    return local;
  }

  private static boolean isPlainMap(Object value) {
    return value instanceof Map<?, ?> map && !Intrinsics.isIntrinsic(map);
  }
}
