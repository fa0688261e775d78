package dev.spur.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.eventbridge.model.RuleState;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.AlreadyExistsException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The stack of a {@link Template} on one machine: its table, bus, rules, queues and sender
 * identities in an AWS emulator, its functions in this JVM, its HTTP API on a loopback port, its
 * rules delivered through SQS and its schedules fired on a timer or on request.
 *
 * <p>Every resource gets the name prefix plus its logical id, so stacks with different prefixes
 * share one emulator without meeting. AWS clients are built with a region only, so the SDK's own
 * configuration ({@code AWS_ENDPOINT_URL}, {@code aws.endpointUrl}) decides where they go.
 */
public final class LocalDeployment implements AutoCloseable {

  /** The prefix the command line uses unless told otherwise. */
  public static final String DEFAULT_PREFIX = "spur-local-";
  /** The port the local gateway serves on unless told otherwise. */
  public static final int DEFAULT_PORT = 3000;
  /** The parameter that names the public API's origin in emails. */
  static final String PUBLIC_BASE_URL = "PublicBaseUrl";

  // moto's account; replaced by the emulator's own once provisioning has seen an ARN.
  private static final String FALLBACK_ACCOUNT = "123456789012";
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-]{0,40}");
  private static final int RULE_NAME_LIMIT = 64;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Template template;
  private final String prefix;
  private final String region;
  private final Map<String, String> parameters;
  private final DynamoDbClient dynamo;
  private final EventBridgeClient events;
  private final SqsClient sqs;
  private final SesV2Client ses;
  private final Map<String, LocalFunction> functions = new ConcurrentHashMap<>();
  private final Map<String, String> queueUrls = new ConcurrentHashMap<>();
  private final Map<String, String> queueArns = new ConcurrentHashMap<>();
  private final List<EventRouter.RuleQueue> ruleQueues = new ArrayList<>();
  private volatile String accountId = FALLBACK_ACCOUNT;
  private Duration retryDelay = Duration.ofSeconds(1);
  private boolean provisioned;
  private EventRouter router;
  private HttpGateway gateway;
  private ScheduledExecutorService timer;

  private LocalDeployment(Template template, String prefix, Map<String, String> overrides) {
    if (!PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "A name prefix is at most 40 of A-Z, a-z, 0-9, '-' and '_', got " + prefix);
    }
    this.template = template;
    this.prefix = prefix;
    Map<String, String> values = new LinkedHashMap<>(template.parameterDefaults());
    values.putAll(overrides);
    if (values.getOrDefault(PUBLIC_BASE_URL, "").isEmpty()) {
      // Emails link to the local gateway rather than to an API that does not exist here.
      values.put(PUBLIC_BASE_URL, "http://127.0.0.1:" + DEFAULT_PORT);
    }
    this.parameters = Collections.unmodifiableMap(values);
    this.region = new DefaultAwsRegionProviderChain().getRegion().id();
    Region sdkRegion = Region.of(region);
    this.dynamo =
        DynamoDbClient.builder()
            .region(sdkRegion)
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .build();
    this.events =
        EventBridgeClient.builder()
            .region(sdkRegion)
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .build();
    this.sqs =
        SqsClient.builder()
            .region(sdkRegion)
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .build();
    this.ses =
        SesV2Client.builder()
            .region(sdkRegion)
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .build();
  }

  /** A deployment of the template with its parameter defaults, using the current SDK config. */
  public static LocalDeployment create(Template template, String namePrefix) {
    return new LocalDeployment(template, namePrefix, Map.of());
  }

  /** A deployment with some parameters set, as {@code sam deploy --parameter-overrides} does. */
  public static LocalDeployment create(
      Template template, String namePrefix, Map<String, String> parameterOverrides) {
    return new LocalDeployment(template, namePrefix, parameterOverrides);
  }

  /** The template this deployment runs. */
  public Template template() {
    return template;
  }

  /** The name prefix of every resource. */
  public String prefix() {
    return prefix;
  }

  /** The region the SDK configuration names. */
  public String region() {
    return region;
  }

  /** The local name of the template's single DynamoDB table. */
  public String tableName() {
    return prefix + single("AWS::DynamoDB::Table");
  }

  /** The local name of the template's single event bus. */
  public String busName() {
    return prefix + single("AWS::Events::EventBus");
  }

  /** The local name of a resource: the prefix plus its logical id. */
  public String physicalName(String logicalId) {
    if (!template.hasResource(logicalId)) {
      throw new IllegalArgumentException("No resource " + logicalId + " in the template");
    }
    return prefix + logicalId;
  }

  /**
   * How long a failed delivery waits before its retry, in whole seconds; one second unless set.
   * Set it before event routing starts.
   */
  public synchronized void retryDelay(Duration delay) {
    if (delay.isNegative() || delay.toSeconds() > 43_200) {
      throw new IllegalArgumentException("A retry delay is 0 to 12 hours, got " + delay);
    }
    if (router != null) {
      throw new IllegalStateException("Event routing has started with its retry delay");
    }
    this.retryDelay = delay;
  }

  /**
   * A function's environment as Lambda would set it: the template's variables (with {@code
   * Globals}) resolved to local names, plus the region and function name Lambda adds.
   */
  public Map<String, String> environment(String functionId) {
    LambdaFunction function = template.function(functionId);
    Intrinsics intrinsics = intrinsics();
    Map<String, String> environment = new LinkedHashMap<>();
    function
        .environment()
        .forEach(
            (name, value) -> {
              Object resolved = intrinsics.resolve(value);
              if (resolved != null) {
                environment.put(name, Template.scalarText(resolved));
              }
            });
    environment.put("AWS_REGION", region);
    environment.put("AWS_DEFAULT_REGION", region);
    environment.put("AWS_LAMBDA_FUNCTION_NAME", functionName(functionId));
    environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memorySize()));
    environment.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    return Collections.unmodifiableMap(environment);
  }

  /**
   * Creates the template's resources in the emulator: tables (keys, indexes, TTL), buses, queues,
   * for every {@code EventBridgeRule} event a queue and a rule with the template's pattern that
   * targets it, dead-letter queues, and SES identities. Running it again changes nothing.
   */
  public synchronized void provision() {
    long started = System.nanoTime();
    for (TableDefinition table : template.tables()) {
      createTable(table);
    }
    for (String bus : template.resourceIds("AWS::Events::EventBus")) {
      createBus(prefix + bus);
    }
    for (String queue : template.resourceIds("AWS::SQS::Queue")) {
      createQueue(queue, queueName(queue));
    }
    ruleQueues.clear();
    for (LambdaFunction function : template.functions()) {
      for (Trigger.BusRule rule : function.triggers(Trigger.BusRule.class)) {
        ruleQueues.add(createRule(function, rule));
      }
    }
    for (String identity : template.resourceIds("AWS::SES::EmailIdentity")) {
      String address = intrinsics().text(template.properties(identity).get("EmailIdentity"));
      try {
        ses.createEmailIdentity(request -> request.emailIdentity(address));
      } catch (AlreadyExistsException e) {
        // Provisioned before: nothing to do.
      }
    }
    provisioned = true;
    JsonLog.info(
        "stack provisioned",
        "prefix",
        prefix,
        "tables",
        template.tables().size(),
        "rules",
        ruleQueues.size(),
        "millis",
        (System.nanoTime() - started) / 1_000_000);
  }

  private void createTable(TableDefinition table) {
    String name = prefix + table.id();
    List<AttributeDefinition> attributes = new ArrayList<>();
    table
        .attributeTypes()
        .forEach(
            (attribute, type) ->
                attributes.add(
                    AttributeDefinition.builder()
                        .attributeName(attribute)
                        .attributeType(type)
                        .build()));
    boolean onDemand = table.billingMode().equals("PAY_PER_REQUEST");
    ProvisionedThroughput throughput =
        ProvisionedThroughput.builder().readCapacityUnits(5L).writeCapacityUnits(5L).build();
    List<GlobalSecondaryIndex> indexes = new ArrayList<>();
    for (TableDefinition.GlobalIndex index : table.globalIndexes()) {
      GlobalSecondaryIndex.Builder builder =
          GlobalSecondaryIndex.builder()
              .indexName(index.name())
              .keySchema(keySchema(index.keys()))
              .projection(projection -> projection.projectionType(index.projectionType()));
      if (!onDemand) {
        builder.provisionedThroughput(throughput);
      }
      indexes.add(builder.build());
    }
    try {
      dynamo.createTable(
          request -> {
            request
                .tableName(name)
                .attributeDefinitions(attributes)
                .keySchema(keySchema(table.keys()))
                .billingMode(onDemand ? BillingMode.PAY_PER_REQUEST : BillingMode.PROVISIONED);
            if (!indexes.isEmpty()) {
              request.globalSecondaryIndexes(indexes);
            }
            if (!onDemand) {
              request.provisionedThroughput(throughput);
            }
          });
    } catch (ResourceInUseException e) {
      // Provisioned before: the table is kept with its items.
    }
    dynamo.waiter().waitUntilTableExists(request -> request.tableName(name));
    if (table.timeToLiveAttribute().isPresent()) {
      TimeToLiveStatus status =
          dynamo
              .describeTimeToLive(request -> request.tableName(name))
              .timeToLiveDescription()
              .timeToLiveStatus();
      if (status != TimeToLiveStatus.ENABLED && status != TimeToLiveStatus.ENABLING) {
        dynamo.updateTimeToLive(
            request ->
                request
                    .tableName(name)
                    .timeToLiveSpecification(
                        spec ->
                            spec.attributeName(table.timeToLiveAttribute().get()).enabled(true)));
      }
    }
  }

  private static List<KeySchemaElement> keySchema(TableDefinition.KeySchema keys) {
    List<KeySchemaElement> elements = new ArrayList<>();
    elements.add(
        KeySchemaElement.builder()
            .attributeName(keys.partitionKey())
            .keyType(KeyType.HASH)
            .build());
    keys.sortKey()
        .ifPresent(
            sort ->
                elements.add(
                    KeySchemaElement.builder().attributeName(sort).keyType(KeyType.RANGE).build()));
    return elements;
  }

  private void createBus(String name) {
    try {
      events.createEventBus(request -> request.name(name));
    } catch (ResourceAlreadyExistsException e) {
      // Provisioned before.
    }
    learnAccount(events.describeEventBus(request -> request.name(name)).arn());
  }

  private String queueName(String logicalId) {
    boolean fifo = Boolean.TRUE.equals(template.properties(logicalId).get("FifoQueue"));
    return prefix + logicalId + (fifo ? ".fifo" : "");
  }

  private String createQueue(String key, String name) {
    Map<QueueAttributeName, String> attributes = new HashMap<>();
    if (name.endsWith(".fifo")) {
      attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
      attributes.put(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true");
    }
    String url =
        sqs.createQueue(request -> request.queueName(name).attributes(attributes)).queueUrl();
    String arn =
        sqs.getQueueAttributes(
                request -> request.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
    learnAccount(arn);
    queueUrls.put(key, url);
    queueArns.put(key, arn);
    return url;
  }

  private EventRouter.RuleQueue createRule(LambdaFunction function, Trigger.BusRule rule) {
    String ruleName = prefix + function.id() + rule.name();
    if (ruleName.length() > RULE_NAME_LIMIT) {
      throw new IllegalArgumentException(
          "Rule name " + ruleName + " is longer than " + RULE_NAME_LIMIT
              + "; use a shorter prefix");
    }
    Intrinsics intrinsics = intrinsics();
    String bus = rule.bus() == null ? "default" : intrinsics.text(rule.bus());
    String queueUrl = createQueue(ruleName, ruleName);
    String deadLetterUrl;
    if (rule.deadLetterArn().isPresent()) {
      String arn = intrinsics.text(rule.deadLetterArn().get());
      deadLetterUrl =
          queueArns.entrySet().stream()
              .filter(entry -> entry.getValue().equals(arn))
              .map(entry -> queueUrls.get(entry.getKey()))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          rule.name() + ": dead-letter queue " + arn + " is not in the template"));
    } else {
      deadLetterUrl = createQueue(ruleName + "-dlq", ruleName + "-dlq");
    }
    String pattern = toJson(intrinsics.resolve(rule.pattern()));
    String ruleArn =
        events
            .putRule(
                request ->
                    request
                        .name(ruleName)
                        .eventBusName(bus)
                        .eventPattern(pattern)
                        .state(RuleState.ENABLED))
            .ruleArn();
    events.putTargets(
        request ->
            request
                .rule(ruleName)
                .eventBusName(bus)
                .targets(Target.builder().id("local-queue").arn(queueArns.get(ruleName)).build()));
    return new EventRouter.RuleQueue(
        function.id(),
        ruleName,
        ruleArn,
        functionArn(function.id()),
        queueUrl,
        deadLetterUrl,
        rule.maximumRetryAttempts(),
        rule.maximumEventAgeSeconds());
  }

  /** The local queue URL of a queue of the template, by logical id; known once provisioned. */
  public String queueUrl(String logicalId) {
    String url = queueUrls.get(logicalId);
    if (url == null) {
      throw new IllegalStateException("Queue " + logicalId + " is not provisioned");
    }
    return url;
  }

  /**
   * Serves every {@code HttpApi} route of the template on 127.0.0.1.
   *
   * @param port the port, or 0 for a free one
   * @return the base URL, such as {@code http://127.0.0.1:3000}
   */
  public synchronized URI serveHttp(int port) {
    if (gateway != null) {
      throw new IllegalStateException("Already serving HTTP at " + gateway.uri());
    }
    List<RoutePattern> routes = new ArrayList<>();
    Object apiId = null;
    for (LambdaFunction function : template.functions()) {
      for (Trigger.HttpRoute route : function.triggers(Trigger.HttpRoute.class)) {
        routes.add(RoutePattern.of(function.id(), route));
        apiId = apiId == null ? route.apiId() : apiId;
      }
    }
    String api = apiId == null ? prefix + "ServerlessHttpApi" : intrinsics().text(apiId);
    gateway = new HttpGateway(this, routes, api, accountId, port);
    JsonLog.info("http api listening", "url", gateway.uri(), "routes", routes.size());
    return gateway.uri();
  }

  /** Starts one poller per rule queue; {@link #provision()} must have run. */
  public synchronized void startEventRouting() {
    requireProvisioned().start();
  }

  /**
   * Fires every enabled {@code rate(...)} schedule of the template at its rate, the first time
   * one period from now as EventBridge does. A cron schedule is logged as not run and left to
   * {@link #fireSchedule}.
   */
  public synchronized void startSchedules() {
    if (timer != null) {
      return;
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            runnable ->
                Thread.ofPlatform().name("spur-schedules").daemon(true).unstarted(runnable));
    for (LambdaFunction function : template.functions()) {
      for (Trigger.Schedule schedule : function.triggers(Trigger.Schedule.class)) {
        if (!schedule.enabled()) {
          continue;
        }
        String expression = intrinsics().text(schedule.expression());
        ScheduleRate rate;
        try {
          rate = ScheduleRate.parse(expression);
        } catch (IllegalArgumentException e) {
          JsonLog.warn("schedule not run automatically", "function", function.id(), "reason",
              e.getMessage());
          continue;
        }
        long millis = rate.period().toMillis();
        timer.scheduleAtFixedRate(
            () -> fireQuietly(function.id(), schedule), millis, millis, TimeUnit.MILLISECONDS);
        JsonLog.info(
            "schedule started", "function", function.id(), "expression", expression);
      }
    }
  }

  private void fireQuietly(String functionId, Trigger.Schedule schedule) {
    try {
      fire(functionId, schedule);
    } catch (RuntimeException e) {
      // A failed run must not cancel the later ones; the failure is in the log already.
      JsonLog.error("scheduled run failed", "function", functionId, "errorType",
          e.getClass().getName());
    }
  }

  /** Runs a function on one event and returns its output JSON. */
  public String invoke(String functionId, String eventJson) {
    LocalFunction function =
        functions.computeIfAbsent(
            functionId,
            id -> {
              ClassLoader loader = Thread.currentThread().getContextClassLoader();
              return LocalFunction.load(
                  template.function(id),
                  functionName(id),
                  functionArn(id),
                  environment(id),
                  loader != null ? loader : LocalDeployment.class.getClassLoader());
            });
    return function.invoke(eventJson);
  }

  /** Whether the function has a {@code Schedule} event. */
  public boolean hasSchedule(String functionId) {
    return template.functions().stream()
        .anyMatch(
            function ->
                function.id().equals(functionId)
                    && !function.triggers(Trigger.Schedule.class).isEmpty());
  }

  /** Builds the function's scheduled event for now, invokes it and returns its output. */
  public String fireSchedule(String functionId) {
    List<Trigger.Schedule> schedules =
        template.function(functionId).triggers(Trigger.Schedule.class);
    if (schedules.isEmpty()) {
      throw new IllegalArgumentException(functionId + " has no Schedule event");
    }
    return fire(functionId, schedules.get(0));
  }

  private String fire(String functionId, Trigger.Schedule schedule) {
    String event = scheduledEvent(functionId, schedule);
    long started = System.nanoTime();
    String output = invoke(functionId, event);
    JsonLog.info(
        "schedule fired",
        "function",
        functionId,
        "schedule",
        schedule.name(),
        "millis",
        (System.nanoTime() - started) / 1_000_000);
    return output;
  }

  private String scheduledEvent(String functionId, Trigger.Schedule schedule) {
    if (schedule.input().isPresent()) {
      Object input = intrinsics().resolve(schedule.input().get());
      return input instanceof String text ? text : toJson(input);
    }
    ObjectNode event = JSON.createObjectNode();
    event.put("version", "0");
    event.put("id", UUID.randomUUID().toString());
    event.put("detail-type", "Scheduled Event");
    event.put("source", "aws.events");
    event.put("account", accountId);
    event.put("time", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    event.put("region", region);
    event
        .putArray("resources")
        .add("arn:aws:events:" + region + ":" + accountId + ":rule/" + prefix + functionId
            + schedule.name());
    event.putObject("detail");
    return event.toString();
  }

  /**
   * Returns once every rule queue is empty and no delivery is running.
   *
   * @throws IllegalStateException when the timeout passes first, or events wait while routing is
   *     not started
   */
  public void drain(Duration timeout) {
    requireProvisioned().drain(timeout);
  }

  private synchronized EventRouter requireProvisioned() {
    if (!provisioned) {
      throw new IllegalStateException("Call provision() before routing events");
    }
    if (router == null) {
      router = new EventRouter(sqs, this::invoke, accountId, ruleQueues, retryDelay);
    }
    return router;
  }

  private String functionName(String functionId) {
    return prefix + functionId;
  }

  private String functionArn(String functionId) {
    return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + functionName(functionId);
  }

  private String single(String type) {
    List<String> ids = template.resourceIds(type);
    if (ids.size() != 1) {
      throw new IllegalStateException(
          "The template has " + ids.size() + " resources of type " + type + ", not one");
    }
    return ids.get(0);
  }

  private void learnAccount(String arn) {
    String[] parts = arn.split(":");
    if (parts.length > 4 && !parts[4].isEmpty()) {
      accountId = parts[4];
    }
  }

  /** What each resource's Ref and GetAtt mean locally. */
  private Intrinsics intrinsics() {
    Map<String, Intrinsics.PhysicalResource> resources = new HashMap<>();
    Map<String, Object> resourceSection = Template.mapAt(template.document(), "Resources");
    for (String id : resourceSection.keySet()) {
      resources.put(id, physical(id, template.resourceType(id)));
    }
    String stackName = prefix.replaceAll("[-_]+$", "");
    Map<String, String> pseudo =
        Map.of(
            "AWS::Region", region,
            "AWS::AccountId", accountId,
            "AWS::Partition", "aws",
            "AWS::URLSuffix", "amazonaws.com",
            "AWS::StackName", stackName.isEmpty() ? "local" : stackName,
            "AWS::StackId",
                "arn:aws:cloudformation:" + region + ":" + accountId + ":stack/" + stackName
                    + "/local");
    return new Intrinsics(parameters, template.conditions(), resources, pseudo);
  }

  private Intrinsics.PhysicalResource physical(String id, String type) {
    String name = prefix + id;
    String arnStart = ":" + region + ":" + accountId + ":";
    return switch (type) {
      case "AWS::DynamoDB::Table" ->
          new Intrinsics.PhysicalResource(
              name, Map.of("Arn", "arn:aws:dynamodb" + arnStart + "table/" + name));
      case "AWS::Events::EventBus" ->
          new Intrinsics.PhysicalResource(
              name,
              Map.of("Arn", "arn:aws:events" + arnStart + "event-bus/" + name, "Name", name));
      case "AWS::SQS::Queue" -> {
        String queueName = queueName(id);
        String arn =
            Optional.ofNullable(queueArns.get(id)).orElse("arn:aws:sqs" + arnStart + queueName);
        String url =
            Optional.ofNullable(queueUrls.get(id))
                .orElse("https://sqs." + region + ".amazonaws.com/" + accountId + "/" + queueName);
        yield new Intrinsics.PhysicalResource(
            url, Map.of("Arn", arn, "QueueName", queueName, "QueueUrl", url));
      }
      case "AWS::SES::EmailIdentity" ->
          new Intrinsics.PhysicalResource(
              Template.scalarText(
                  parameterFree(template.properties(id).get("EmailIdentity"))),
              Map.of());
      case "AWS::Serverless::Function" ->
          new Intrinsics.PhysicalResource(name, Map.of("Arn", functionArn(id)));
      default -> new Intrinsics.PhysicalResource(name, Map.of());
    };
  }

  // An identity is usually a parameter reference; resolving it must not ask for resources.
  private Object parameterFree(Object value) {
    Intrinsics parametersOnly =
        new Intrinsics(
            parameters,
            template.conditions(),
            Map.of(),
            Map.of("AWS::Region", region, "AWS::AccountId", accountId));
    return parametersOnly.resolve(value);
  }

  private static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Cannot write " + value + " as JSON", e);
    }
  }

  /** Stops the HTTP server, pollers and schedules and closes the AWS clients. */
  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
    if (gateway != null) {
      gateway.close();
    }
    if (router != null) {
      router.close();
    }
    dynamo.close();
    events.close();
    sqs.close();
    ses.close();
  }
}
