package dev.spur.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The project's Python virtual environment in {@code .spur/venv}, with {@code requirements.txt}
 * installed.
 *
 * <p>It shares its protocol with the {@code ./spur} launcher: the lock file
 * {@code .spur/venv.lock} (an fcntl lock, which Python's {@code fcntl.lockf} also takes) and the
 * stamp {@code .spur/venv/requirements.sha256} holding the hex SHA-256 of the requirements that
 * were installed.
 */
final class MotoInstallation {

  private MotoInstallation() {}

  /** Returns the {@code moto_server} executable, installing it first when it is missing or old. */
  static synchronized Path ensure(Path root) {
    Path venv = root.resolve(".spur").resolve("venv");
    Path motoServer = venv.resolve("bin").resolve("moto_server");
    Path requirements = root.resolve("requirements.txt");
    Path stamp = venv.resolve("requirements.sha256");
    if (!Files.isRegularFile(requirements)) {
      throw new IllegalStateException("No requirements.txt in the project root " + root);
    }
    String wanted = sha256(requirements);
    if (isInstalled(motoServer, stamp, wanted)) {
      return motoServer;
    }

    try {
      Files.createDirectories(venv.getParent());
      try (FileChannel channel =
              FileChannel.open(
                  venv.getParent().resolve("venv.lock"),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE)) {
        // Held until the channel closes; blocks while another JVM or the launcher installs.
        channel.lock();
        // Another JVM or the launcher may have finished the install while this one waited.
        if (isInstalled(motoServer, stamp, wanted)) {
          return motoServer;
        }
        JsonLog.info("installing moto", "venv", venv);
        long started = System.nanoTime();
        Path python = venv.resolve("bin").resolve("python");
        // Without python3-venv, Debian's venv step leaves a python but no pip: try it again.
        if (!Files.isExecutable(venv.resolve("bin").resolve("pip"))) {
          run(root, List.of("python3", "-m", "venv", venv.toString()));
        }
        run(
            root,
            List.of(
                python.toString(),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-r",
                requirements.toString()));
        Files.writeString(stamp, wanted + "\n", StandardCharsets.UTF_8);
        JsonLog.info(
            "installed moto", "millis", (System.nanoTime() - started) / 1_000_000);
        return motoServer;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(failure(root, e.toString()), e);
    }
  }

  private static boolean isInstalled(Path motoServer, Path stamp, String wanted) {
    try {
      return Files.isExecutable(motoServer)
          && Files.isRegularFile(stamp)
          && Files.readString(stamp, StandardCharsets.UTF_8).strip().equals(wanted);
    } catch (IOException e) {
      return false;
    }
  }

  private static void run(Path root, List<String> command) throws IOException {
    Process process =
        new ProcessBuilder(command)
            .directory(root.toFile())
            .redirectErrorStream(true)
            .start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit;
    try {
      exit = process.waitFor();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(failure(root, "interrupted while running " + command), e);
    }
    if (exit != 0) {
      throw new IllegalStateException(
          failure(root, String.join(" ", command) + " exited with " + exit + ":\n" + tail(output)));
    }
  }

  private static String failure(Path root, String cause) {
    return "Cannot install moto into "
        + root.resolve(".spur/venv")
        + ": "
        + cause
        + "\nRun this, then try again:\n  cd "
        + root
        + " && python3 -m venv .spur/venv && .spur/venv/bin/pip install -r requirements.txt"
        + "\n(on Debian or Ubuntu, when the venv step fails: apt-get install python3-venv)";
  }

  private static String tail(String output) {
    List<String> lines = output.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
  }

  private static String sha256(Path file) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("This JVM has no SHA-256", e);
    }
  }
}
