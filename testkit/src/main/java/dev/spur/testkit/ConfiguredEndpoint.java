package dev.spur.testkit;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/** An emulator someone else runs, named by {@code AWS_ENDPOINT_URL} or {@code aws.endpointUrl}. */
final class ConfiguredEndpoint implements Emulator {

  private final URI endpoint;
  private final String region;

  ConfiguredEndpoint(URI endpoint, String region) {
    this.endpoint = endpoint;
    this.region = region;
  }

  @Override
  public URI endpoint() {
    return endpoint;
  }

  @Override
  public String region() {
    return region;
  }

  @Override
  public String kind() {
    return "endpoint";
  }

  /** Asks moto's view of sent mail first, then LocalStack's, since either may be behind it. */
  @Override
  public List<SentEmail> sentEmails() {
    Optional<List<SentEmail>> moto = Outbox.readMoto(endpoint);
    if (moto.isPresent()) {
      return moto.get();
    }
    return Outbox.readLocalStack(endpoint)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    endpoint
                        + " shows no sent emails: neither "
                        + Outbox.MOTO_PATH
                        + " nor "
                        + Outbox.LOCALSTACK_PATH
                        + " answered with JSON"));
  }

  /** Leaves the endpoint running: this object did not start it. */
  @Override
  public void close() {}
}
