package dev.spur.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * moto in server mode, started from the project's virtual environment as a child process on a
 * free loopback port.
 *
 * <p>moto runs under a small Python watchdog that stops it when the JVM closes the watchdog's
 * standard input, which also happens when the JVM dies without running its shutdown hooks; so a
 * killed test run leaves no server behind.
 */
final class MotoServer implements Emulator {

  static final String REGION = "us-east-1";

  private static final String HOST = "127.0.0.1";
  private static final Duration STARTUP = Duration.ofSeconds(90);
  private static final Duration SHUTDOWN = Duration.ofSeconds(10);
  private static final int ATTEMPTS = 3;

  // Runs moto as its child; ends it on end of input or SIGTERM, then exits with moto's status.
  private static final String WATCHDOG =
      String.join(
          "\n",
          "import signal, subprocess, sys, threading",
          "child = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL)",
          "def stop(*_):",
          "    child.terminate()",
          "signal.signal(signal.SIGTERM, stop)",
          "def watch():",
          "    sys.stdin.buffer.read()",
          "    stop()",
          "threading.Thread(target=watch, daemon=True).start()",
          "sys.exit(child.wait())");

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .proxy(HttpClient.Builder.NO_PROXY)
          .connectTimeout(Duration.ofSeconds(1))
          .build();

  private final Process process;
  private final URI endpoint;
  private final Path log;

  private MotoServer(Process process, URI endpoint, Path log) {
    this.process = process;
    this.endpoint = endpoint;
    this.log = log;
  }

  /** Installs moto if needed, starts it and returns once it answers HTTP. */
  static MotoServer start(Path root) {
    Path motoServer = MotoInstallation.ensure(root);
    Path python = motoServer.resolveSibling("python");
    Path logs = root.resolve(".spur").resolve("logs");
    long started = System.nanoTime();
    IllegalStateException lastFailure = null;
    // A free port can be taken by someone else before moto binds it; then another port is tried.
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      int port = freePort();
      try {
        MotoServer server = launch(python, motoServer, port, logs);
        JsonLog.info(
            "emulator started",
            "kind",
            "moto",
            "endpoint",
            server.endpoint,
            "millis",
            (System.nanoTime() - started) / 1_000_000);
        return server;
      } catch (IllegalStateException e) {
        lastFailure = e;
      }
    }
    throw lastFailure;
  }

  private static MotoServer launch(Path python, Path motoServer, int port, Path logs) {
    Path log = logs.resolve("moto-" + port + ".log");
    Process process;
    try {
      Files.createDirectories(logs);
      ProcessBuilder builder =
          new ProcessBuilder(
                  List.of(
                      python.toString(),
                      "-c",
                      WATCHDOG,
                      motoServer.toString(),
                      "-H",
                      HOST,
                      "-p",
                      Integer.toString(port)))
              .directory(logs.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder.environment().put("PYTHONUNBUFFERED", "1");
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + motoServer, e);
    }
    MotoServer server = new MotoServer(process, URI.create("http://" + HOST + ":" + port), log);
    try {
      server.awaitReady();
      return server;
    } catch (RuntimeException e) {
      server.stop();
      throw e;
    }
  }

  private void awaitReady() {
    // Seeing our own "Running on" line first matters: an HTTP answer alone could come from a
    // server that took the port before this one could bind it.
    String banner = "Running on " + endpoint;
    long deadline = System.nanoTime() + STARTUP.toNanos();
    boolean bound = false;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "moto on " + endpoint + " exited with " + process.exitValue() + ":\n" + logText());
      }
      bound = bound || logText().contains(banner);
      if (bound && answers()) {
        return;
      }
      sleep(Duration.ofMillis(100));
    }
    throw new IllegalStateException(
        "moto on " + endpoint + " did not answer within " + STARTUP + ":\n" + logText());
  }

  private boolean answers() {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint.resolve("/moto-api/"))
            .timeout(Duration.ofSeconds(2))
            .GET()
            .build();
    try {
      HTTP.send(request, HttpResponse.BodyHandlers.discarding());
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for moto", e);
    }
  }

  private String logText() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  @Override
  public URI endpoint() {
    return endpoint;
  }

  @Override
  public String region() {
    return REGION;
  }

  @Override
  public String kind() {
    return "moto";
  }

  @Override
  public List<SentEmail> sentEmails() {
    return Outbox.readMoto(endpoint)
        .orElseThrow(
            () -> new IllegalStateException("moto on " + endpoint + " has no " + Outbox.MOTO_PATH));
  }

  /** The watchdog process, so that a test can check that nothing outlives {@link #close()}. */
  ProcessHandle processHandle() {
    return process.toHandle();
  }

  @Override
  public void close() {
    if (stop()) {
      try {
        Files.deleteIfExists(log);
      } catch (IOException e) {
        // A leftover log file costs nothing but disk; closing must not fail over it.
      }
    }
  }

  /** Stops moto and its watchdog; returns whether both ended without being killed. */
  private boolean stop() {
    List<ProcessHandle> tree =
        Stream.concat(Stream.of(process.toHandle()), process.descendants()).toList();
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.flush();
    } catch (IOException e) {
      // Already closed: the watchdog sees end of input either way.
    }
    boolean clean = waitFor(tree);
    if (!clean) {
      tree.forEach(ProcessHandle::destroyForcibly);
      waitFor(tree);
    }
    return clean;
  }

  private static boolean waitFor(List<ProcessHandle> tree) {
    long deadline = System.nanoTime() + SHUTDOWN.toNanos();
    for (ProcessHandle handle : tree) {
      long left = deadline - System.nanoTime();
      try {
        handle.onExit().get(Math.max(0, left), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free loopback port", e);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for moto", e);
    }
  }
}
