package dev.spur.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

@ExtendWith(AwsEmulatorExtension.class)
class AwsEmulatorExtensionTest {

  private final Emulator fromConstructor;

  AwsEmulatorExtensionTest(Emulator fromConstructor) {
    this.fromConstructor = fromConstructor;
  }

  @Test
  void constructorAndMethodReceiveTheSharedEmulator(Emulator fromMethod) {
    assertSame(Emulators.shared(), fromConstructor);
    assertSame(Emulators.shared(), fromMethod);
  }

  @Test
  void sdkSystemPropertiesPointAtTheSharedEmulator(Emulator emulator) {
    assertEquals(emulator.endpoint().toString(), System.getProperty("aws.endpointUrl"));
    assertEquals(emulator.region(), System.getProperty("aws.region"));
    assertEquals("test", System.getProperty("aws.accessKeyId"));
    assertEquals("test", System.getProperty("aws.secretAccessKey"));
    assertEquals("true", System.getProperty("aws.disableEc2Metadata"));
  }

  @Test
  void clientBuiltWithRegionOnlyReachesTheSharedEmulator(Emulator emulator) {
    String table = "extension-" + System.nanoTime();
    try (DynamoDbClient dynamo =
        DynamoDbClient.builder().region(Region.of(emulator.region())).build()) {
      dynamo.createTable(
          create ->
              create
                  .tableName(table)
                  .billingMode(BillingMode.PAY_PER_REQUEST)
                  .attributeDefinitions(
                      AttributeDefinition.builder()
                          .attributeName("PK")
                          .attributeType(ScalarAttributeType.S)
                          .build())
                  .keySchema(
                      KeySchemaElement.builder()
                          .attributeName("PK")
                          .keyType(KeyType.HASH)
                          .build()));

      assertEquals(
          List.of(table),
          dynamo.listTables().tableNames().stream().filter(table::equals).toList());
    }
  }

  @Test
  void closingTheSharedEmulatorLeavesItRunning(Emulator emulator) {
    emulator.close();

    assertEquals(emulator.sentEmails(), Emulators.shared().sentEmails());
  }

  @Test
  void startGivesAFreshEmulatorDespitePropertiesPointingAtTheSharedOne(Emulator emulator) {
    assumeTrue(System.getenv("AWS_ENDPOINT_URL") == null, "an outside endpoint is configured");

    try (Emulator fresh = Emulators.start()) {
      assertNotEquals(emulator.endpoint(), fresh.endpoint());
      assertEquals(emulator.kind(), fresh.kind());
    }
  }

  @Test
  void endpointNamedInSystemPropertyWinsOverStartingAnEmulator(Emulator emulator) {
    String configured = System.getProperty("aws.endpointUrl");
    System.setProperty("aws.endpointUrl", "http://127.0.0.1:1");
    try (Emulator named = Emulators.start()) {
      assertEquals("endpoint", named.kind());
      assertEquals(URI.create("http://127.0.0.1:1"), named.endpoint());
      assertEquals(emulator.region(), named.region());
    } finally {
      System.setProperty("aws.endpointUrl", configured);
    }
  }

  @Test
  void configuredEndpointReadsSentEmailsThroughMotosView(Emulator emulator) {
    assumeTrue(emulator.kind().equals("moto"), "the shared emulator is not moto");

    Emulator named = new ConfiguredEndpoint(emulator.endpoint(), emulator.region());

    assertEquals("endpoint", named.kind());
    assertEquals(emulator.sentEmails(), named.sentEmails());
  }
}
