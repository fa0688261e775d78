package dev.spur.testkit;

import java.net.URI;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.containers.localstack.LocalStackContainer.EnabledService;
import org.testcontainers.utility.DockerImageName;

/** LocalStack in a container that Testcontainers starts on the local Docker engine. */
final class LocalStackEmulator implements Emulator {

  /** The pinned image; newer LocalStack images refuse to start without an auth token. */
  static final String IMAGE = "localstack/localstack:4.9";

  private static final List<String> SERVICES = List.of("dynamodb", "events", "sqs", "ses");

  private final LocalStackContainer container;

  private LocalStackEmulator(LocalStackContainer container) {
    this.container = container;
  }

  /** Whether Testcontainers reaches a Docker engine; call only after {@link DockerEngine}. */
  static boolean dockerAnswers() {
    return DockerClientFactory.instance().isDockerAvailable();
  }

  /** Starts a container and returns once LocalStack reports itself ready. */
  @SuppressWarnings("resource") // The emulator owns the container and stops it in close().
  static LocalStackEmulator start() {
    long started = System.nanoTime();
    LocalStackContainer container =
        new LocalStackContainer(DockerImageName.parse(IMAGE))
            .withServices(
                SERVICES.stream().map(EnabledService::named).toArray(EnabledService[]::new));
    String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
    if (token != null && !token.isBlank()) {
      container.withEnv("LOCALSTACK_AUTH_TOKEN", token);
    }
    container.start();
    LocalStackEmulator emulator = new LocalStackEmulator(container);
    JsonLog.info(
        "emulator started",
        "kind",
        "localstack",
        "endpoint",
        emulator.endpoint(),
        "image",
        IMAGE,
        "millis",
        (System.nanoTime() - started) / 1_000_000);
    return emulator;
  }

  @Override
  public URI endpoint() {
    return container.getEndpoint();
  }

  @Override
  public String region() {
    return container.getRegion();
  }

  @Override
  public String kind() {
    return "localstack";
  }

  @Override
  public List<SentEmail> sentEmails() {
    return Outbox.readLocalStack(endpoint())
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "LocalStack at " + endpoint() + " has no " + Outbox.LOCALSTACK_PATH));
  }

  @Override
  public void close() {
    container.stop();
  }
}
