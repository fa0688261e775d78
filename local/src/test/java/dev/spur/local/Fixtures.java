package dev.spur.local;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Where the tests find the project's template and the probe template, and fresh prefixes. */
final class Fixtures {

  private Fixtures() {}

  static Path projectRoot() {
    String root = System.getProperty("spur.root");
    return root == null ? Path.of("..").toAbsolutePath().normalize() : Path.of(root);
  }

  static Template projectTemplate() {
    return Template.load(projectRoot().resolve("template.yaml"));
  }

  static Template probeTemplate() {
    try {
      return Template.load(
          Path.of(Fixtures.class.getResource("/probe-template.yaml").toURI()));
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A prefix no other test uses, short enough for every rule name. */
  static String freshPrefix(String purpose) {
    byte[] random = new byte[3];
    ThreadLocalRandom.current().nextBytes(random);
    return purpose + HexFormat.of().formatHex(random) + "-";
  }
}
