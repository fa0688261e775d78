package dev.spur.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * What {@code Main up} writes to {@code .spur/up.json} so that {@code Main invoke} can use the
 * same emulator and resources while it runs.
 *
 * @param endpoint the emulator's endpoint
 * @param region the emulator's region
 * @param port the HTTP API's port
 * @param prefix the resources' name prefix
 * @param pid the process that serves the stack
 */
record RunningStack(URI endpoint, String region, int port, String prefix, long pid) {

  private static final ObjectMapper JSON = new ObjectMapper();

  void write(Path file) {
    ObjectNode node = JSON.createObjectNode();
    node.put("endpoint", endpoint.toString());
    node.put("region", region);
    node.put("port", port);
    node.put("prefix", prefix);
    node.put("pid", pid);
    try {
      Files.createDirectories(file.getParent());
      Path partial = file.resolveSibling(file.getFileName() + ".partial");
      Files.writeString(partial, node.toPrettyString() + "\n", StandardCharsets.UTF_8);
      Files.move(
          partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  /** The stack the file describes, if the file exists and its process and emulator still run. */
  static Optional<RunningStack> find(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    RunningStack stack;
    try {
      JsonNode node = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
      stack =
          new RunningStack(
              URI.create(node.path("endpoint").asText()),
              node.path("region").asText(),
              node.path("port").asInt(),
              node.path("prefix").asText(),
              node.path("pid").asLong());
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
    boolean alive = ProcessHandle.of(stack.pid()).map(ProcessHandle::isAlive).orElse(false);
    return alive && stack.emulatorAnswers() ? Optional.of(stack) : Optional.empty();
  }

  private boolean emulatorAnswers() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A stale file is harmless: find() checks that its process still runs.
    }
  }
}
