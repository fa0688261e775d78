package dev.spur.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Tells cheaply whether a Docker engine might answer, before Testcontainers is asked.
 *
 * <p>This class touches no Testcontainers type, so that a machine without Docker never loads
 * that library nor waits for its probes.
 */
final class DockerEngine {

  private DockerEngine() {}

  /** Whether {@code DOCKER_HOST} is set or a Docker socket exists in a usual place. */
  static boolean mayAnswer() {
    String dockerHost = System.getenv("DOCKER_HOST");
    if (dockerHost != null && !dockerHost.isBlank()) {
      return true;
    }
    return sockets().stream().anyMatch(Files::exists);
  }

  private static List<Path> sockets() {
    List<Path> sockets = new ArrayList<>();
    sockets.add(Path.of("/var/run/docker.sock"));
    String runtimeDir = System.getenv("XDG_RUNTIME_DIR");
    if (runtimeDir != null && !runtimeDir.isBlank()) {
      sockets.add(Path.of(runtimeDir, "docker.sock"));
    }
    String home = System.getProperty("user.home");
    if (home != null && !home.isBlank()) {
      sockets.add(Path.of(home, ".docker", "run", "docker.sock"));
    }
    return sockets;
  }
}
