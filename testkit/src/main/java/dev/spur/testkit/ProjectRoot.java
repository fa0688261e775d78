package dev.spur.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Finds the checkout's root folder, where {@code requirements.txt} and {@code .spur/} live. */
final class ProjectRoot {

  private static final Pattern PARENT_BLOCK =
      Pattern.compile("<parent>.*?</parent>", Pattern.DOTALL);

  private ProjectRoot() {}

  /**
   * Returns the root named by {@code spur.root}, then {@code SPUR_ROOT}, then the working
   * directory; each is walked up, because Maven run inside a module names the module as the
   * project directory.
   */
  static Path locate() {
    List<String> starts = new ArrayList<>();
    addIfSet(starts, System.getProperty("spur.root"));
    addIfSet(starts, System.getenv("SPUR_ROOT"));
    addIfSet(starts, System.getProperty("user.dir"));
    for (String start : starts) {
      Optional<Path> root = findFrom(Path.of(start));
      if (root.isPresent()) {
        return root.get();
      }
    }
    throw new IllegalStateException(
        "Cannot find the Spur project root (the folder holding template.yaml or the pom.xml of "
            + "spur-parent) above any of "
            + starts
            + ". Set SPUR_ROOT to the checkout's root folder.");
  }

  /** Walks up from {@code start} to the first folder that is the project root. */
  static Optional<Path> findFrom(Path start) {
    for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
      if (isRoot(dir)) {
        return Optional.of(dir);
      }
    }
    return Optional.empty();
  }

  private static boolean isRoot(Path dir) {
    if (Files.isRegularFile(dir.resolve("template.yaml"))) {
      return true;
    }
    Path pom = dir.resolve("pom.xml");
    if (!Files.isRegularFile(pom)) {
      return false;
    }
    try {
      // A module's pom names spur-parent too, inside its <parent> block; only the root's own
      // artifactId counts.
      String own = PARENT_BLOCK.matcher(Files.readString(pom)).replaceAll("");
      return own.contains("<artifactId>spur-parent</artifactId>");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + pom, e);
    }
  }

  private static void addIfSet(List<String> starts, String value) {
    if (value != null && !value.isBlank()) {
      starts.add(value);
    }
  }
}
