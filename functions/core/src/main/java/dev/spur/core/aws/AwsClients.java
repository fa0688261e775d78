package dev.spur.core.aws;

import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * Builds the SDK clients a function uses, with a region only: the endpoint comes from the
 * SDK's own settings ({@code AWS_ENDPOINT_URL} or {@code aws.endpointUrl}), so the same code
 * talks to AWS or to an emulator without knowing which.
 *
 * <p>Credentials come from system properties or the environment, which is where Lambda puts
 * them; the instance-metadata lookup of the SDK's default chain is never tried, which also
 * keeps cold starts short.
 */
public final class AwsClients {

  private static final AwsCredentialsProvider CREDENTIALS =
      AwsCredentialsProviderChain.builder()
          .credentialsProviders(
              SystemPropertyCredentialsProvider.create(),
              EnvironmentVariableCredentialsProvider.create())
          .reuseLastProviderEnabled(true)
          .build();

  private AwsClients() {}

  /** The region named by {@code aws.region}, {@code AWS_REGION} or {@code AWS_DEFAULT_REGION}. */
  public static Region region(Map<String, String> environment) {
    String name = System.getProperty("aws.region");
    if (name == null || name.isBlank()) {
      name = environment.getOrDefault("AWS_REGION", System.getenv("AWS_REGION"));
    }
    if (name == null || name.isBlank()) {
      name = environment.getOrDefault("AWS_DEFAULT_REGION", System.getenv("AWS_DEFAULT_REGION"));
    }
    if (name == null || name.isBlank()) {
      throw new IllegalStateException("no AWS region: set AWS_REGION");
    }
    return Region.of(name);
  }

  private static SdkHttpClient httpClient() {
    return UrlConnectionHttpClient.builder().build();
  }

  /** A DynamoDB client. */
  public static DynamoDbClient dynamoDb(Map<String, String> environment) {
    return DynamoDbClient.builder()
        .region(region(environment))
        .credentialsProvider(CREDENTIALS)
        .httpClient(httpClient())
        .build();
  }

  /** An EventBridge client. */
  public static EventBridgeClient eventBridge(Map<String, String> environment) {
    return EventBridgeClient.builder()
        .region(region(environment))
        .credentialsProvider(CREDENTIALS)
        .httpClient(httpClient())
        .build();
  }

  /** An SES v2 client. */
  public static SesV2Client sesV2(Map<String, String> environment) {
    return SesV2Client.builder()
        .region(region(environment))
        .credentialsProvider(CREDENTIALS)
        .httpClient(httpClient())
        .build();
  }

  /** The value of a required setting, or a clear failure at start-up. */
  public static String required(Map<String, String> environment, String name) {
    String value = environment.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("missing environment variable " + name);
    }
    return value;
  }
}
