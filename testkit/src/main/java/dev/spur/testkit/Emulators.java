package dev.spur.testkit;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds or starts the AWS emulator: the endpoint named by {@code AWS_ENDPOINT_URL} (or the
 * system property {@code aws.endpointUrl}), else LocalStack when a Docker engine answers, else
 * moto from the project's virtual environment.
 */
public final class Emulators {

  private static final String DEFAULT_REGION = "us-east-1";

  // Endpoints that configureSdk itself wrote into aws.endpointUrl: finding one of those there
  // later says nothing about an emulator chosen from outside.
  private static final Set<String> CONFIGURED_HERE = ConcurrentHashMap.newKeySet();

  private static Emulator shared;

  private Emulators() {}

  /** The emulator of this JVM, started on first use and closed when the JVM exits. */
  public static synchronized Emulator shared() {
    if (shared == null) {
      Emulator started = start();
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "spur-emulator-stop"));
      shared = new Shared(started);
    }
    return shared;
  }

  /** A new emulator, chosen in the documented order, which the caller closes. */
  public static Emulator start() {
    Optional<URI> configured = configuredEndpoint();
    if (configured.isPresent()) {
      JsonLog.info("emulator chosen", "kind", "endpoint", "endpoint", configured.get());
      return new ConfiguredEndpoint(configured.get(), configuredRegion());
    }

    if (DockerEngine.mayAnswer()) {
      try {
        if (LocalStackEmulator.dockerAnswers()) {
          return LocalStackEmulator.start();
        }
      } catch (RuntimeException e) {
        // A Docker engine that cannot run LocalStack (no image, no auth token) should not stop
        // a test run that moto can serve.
        JsonLog.warn(
            "localstack unavailable, using moto",
            "image",
            LocalStackEmulator.IMAGE,
            "error",
            e.getClass().getName() + ": " + e.getMessage());
      }
    }

    return MotoServer.start(ProjectRoot.locate());
  }

  /**
   * Points every SDK client built afterwards with a region only at {@code emulator}, with dummy
   * static credentials and no instance-metadata lookups.
   */
  public static void configureSdk(Emulator emulator) {
    String endpoint = emulator.endpoint().toString();
    CONFIGURED_HERE.add(endpoint);
    System.setProperty("aws.endpointUrl", endpoint);
    System.setProperty("aws.region", emulator.region());
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", "test");
    System.setProperty("aws.disableEc2Metadata", "true");
  }

  private static Optional<URI> configuredEndpoint() {
    String property = System.getProperty("aws.endpointUrl");
    if (property != null && !property.isBlank() && !CONFIGURED_HERE.contains(property)) {
      return Optional.of(URI.create(property.strip()));
    }
    String variable = System.getenv("AWS_ENDPOINT_URL");
    if (variable != null && !variable.isBlank()) {
      return Optional.of(URI.create(variable.strip()));
    }
    return Optional.empty();
  }

  private static String configuredRegion() {
    for (String value :
        new String[] {
          System.getProperty("aws.region"), System.getenv("AWS_REGION"),
          System.getenv("AWS_DEFAULT_REGION")
        }) {
      if (value != null && !value.isBlank()) {
        return value.strip();
      }
    }
    return DEFAULT_REGION;
  }

  /** The JVM's emulator as handed out: closing it is left to the JVM's exit. */
  private record Shared(Emulator started) implements Emulator {

    @Override
    public URI endpoint() {
      return started.endpoint();
    }

    @Override
    public String region() {
      return started.region();
    }

    @Override
    public String kind() {
      return started.kind();
    }

    @Override
    public List<SentEmail> sentEmails() {
      return started.sentEmails();
    }

    @Override
    public void close() {
      // Other tests in this JVM still use it; the shutdown hook stops it.
    }
  }
}
