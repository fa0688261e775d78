package dev.spur.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads the messages an emulator's SES accepted, from moto's or LocalStack's own view of them. */
final class Outbox {

  static final String MOTO_PATH = "/moto-api/data.json";
  static final String LOCALSTACK_PATH = "/_aws/ses";

  // A tag such as <p>, </div>, <br/> or a doctype; "<https://...>" or "a < b" are not markup.
  private static final Pattern MARKUP =
      Pattern.compile(
          "<(?:!doctype[^>]*|/?[a-z][a-z0-9]*(?:\\s[^<>]*)?/?)>", Pattern.CASE_INSENSITIVE);

  // The emulators are on loopback or named explicitly: never route their control API via a proxy.
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .proxy(HttpClient.Builder.NO_PROXY)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private static final ObjectMapper JSON = new ObjectMapper();

  private Outbox() {}

  /** Reads moto's sent messages; empty when the endpoint does not serve moto's data view. */
  static Optional<List<SentEmail>> readMoto(URI endpoint) {
    return fetch(endpoint.resolve(MOTO_PATH)).map(Outbox::fromMoto);
  }

  /** Reads LocalStack's sent messages; empty when the endpoint does not serve LocalStack's view. */
  static Optional<List<SentEmail>> readLocalStack(URI endpoint) {
    return fetch(endpoint.resolve(LOCALSTACK_PATH)).map(Outbox::fromLocalStack);
  }

  /**
   * Turns moto's {@code data.json} into messages: simple ones from {@code ses.Message}, then raw
   * ones from {@code ses.RawMessage}. moto keeps the two apart, so their relative order is lost.
   */
  static List<SentEmail> fromMoto(JsonNode data) {
    JsonNode ses = data.path("ses");
    List<SentEmail> sent = new ArrayList<>();
    for (JsonNode message : ses.path("Message")) {
      String body = textOrNull(message.path("body"));
      boolean markup = body != null && MARKUP.matcher(body).find();
      sent.add(
          new SentEmail(
              textOrNull(message.path("source")),
              strings(message.path("destinations").path("ToAddresses")),
              textOrNull(message.path("subject")),
              markup ? null : body,
              markup ? body : null));
    }
    for (JsonNode message : ses.path("RawMessage")) {
      // moto lists every envelope recipient here, some twice; the To header is preferred.
      List<String> envelope =
          List.copyOf(new LinkedHashSet<>(strings(message.path("destinations"))));
      sent.add(
          RawMessage.parse(
              message.path("raw_data").asText(""), textOrNull(message.path("source")), envelope));
    }
    return sent;
  }

  /** Turns LocalStack's {@code /_aws/ses} answer into messages, in the order it lists them. */
  static List<SentEmail> fromLocalStack(JsonNode data) {
    List<SentEmail> sent = new ArrayList<>();
    for (JsonNode message : data.path("messages")) {
      String source = textOrNull(message.path("Source"));
      List<String> to = strings(message.path("Destination").path("ToAddresses"));
      String raw = textOrNull(message.path("RawData"));
      if (raw != null) {
        sent.add(RawMessage.parse(raw, source, to));
      } else {
        JsonNode body = message.path("Body");
        sent.add(
            new SentEmail(
                source,
                to,
                textOrNull(message.path("Subject")),
                textOrNull(body.path("text_part")),
                textOrNull(body.path("html_part"))));
      }
    }
    return sent;
  }

  private static Optional<JsonNode> fetch(URI uri) {
    HttpRequest request =
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(90)).GET().build();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return Optional.empty();
      }
      JsonNode json = JSON.readTree(response.body());
      return json != null && json.isObject() ? Optional.of(json) : Optional.empty();
    } catch (JsonProcessingException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read sent emails from " + uri, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while reading sent emails from " + uri, e);
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    for (JsonNode value : array) {
      values.add(value.asText());
    }
    return values;
  }

  private static String textOrNull(JsonNode node) {
    return node.isMissingNode() || node.isNull() ? null : node.asText();
  }
}
