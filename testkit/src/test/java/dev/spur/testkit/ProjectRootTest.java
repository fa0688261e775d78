package dev.spur.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectRootTest {

  @TempDir Path checkout;

  @Test
  void moduleFolderWalksUpToThePomThatIsSpurParentItself() throws Exception {
    Files.writeString(
        checkout.resolve("pom.xml"),
        "<project><groupId>dev.spur</groupId><artifactId>spur-parent</artifactId></project>");
    Path module = Files.createDirectories(checkout.resolve("functions/core/src"));
    Files.writeString(
        checkout.resolve("functions/core/pom.xml"),
        "<project><parent><artifactId>spur-parent</artifactId></parent>"
            + "<artifactId>spur-core</artifactId></project>");

    assertEquals(Optional.of(checkout.toRealPath()), ProjectRoot.findFrom(module).map(this::real));
  }

  @Test
  void templateYamlMarksTheRootEvenWithoutAPom() throws Exception {
    Files.writeString(checkout.resolve("template.yaml"), "Resources: {}\n");
    Path events = Files.createDirectories(checkout.resolve("events"));

    assertEquals(Optional.of(checkout.toRealPath()), ProjectRoot.findFrom(events).map(this::real));
  }

  @Test
  void folderOutsideAnyCheckoutHasNoRoot() throws Exception {
    Path lone = Files.createDirectories(checkout.resolve("lone"));
    Files.writeString(
        lone.resolve("pom.xml"), "<project><parent><artifactId>spur-parent</artifactId></parent>");

    // The temporary folder's ancestors hold no Spur checkout on any sane machine.
    assertEquals(Optional.empty(), ProjectRoot.findFrom(lone));
  }

  private Path real(Path path) {
    try {
      return path.toRealPath();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
