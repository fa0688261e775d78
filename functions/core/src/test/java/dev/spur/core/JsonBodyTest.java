package dev.spur.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spur.core.http.FieldError;
import dev.spur.core.http.InvalidRequestException;
import dev.spur.core.http.JsonBody;
import dev.spur.core.money.Money;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonBodyTest {

  @Test
  void malformedJsonNamesTheBodyAndWhere() {
    InvalidRequestException e =
        assertThrows(InvalidRequestException.class, () -> JsonBody.parse("{\"a\": 1,"));

    assertEquals("body", e.errors().get(0).field());
    assertEquals("is not valid JSON at line 1, column 9", e.errors().get(0).detail());
  }

  @Test
  void emptyAndNonObjectBodiesAreRefused() {
    assertEquals(
        List.of(new FieldError("body", "is required: send a JSON object")),
        assertThrows(InvalidRequestException.class, () -> JsonBody.parse("")).errors());
    assertEquals(
        List.of(new FieldError("body", "must be a JSON object")),
        assertThrows(InvalidRequestException.class, () -> JsonBody.parse("[1]")).errors());
  }

  @Test
  void everyOffendingFieldIsNamedAtOnce() {
    JsonBody body = JsonBody.parse("{\"amount\": {\"amount\": \"12\", \"currency\": \"eur\"}}");

    body.requiredText("orderId", 10, null, null);
    body.requiredMoney("amount", 1_000);

    InvalidRequestException e = assertThrows(InvalidRequestException.class, body::validate);
    assertEquals(
        List.of(
            new FieldError("orderId", "is required"),
            new FieldError("amount.amount", "must be a whole number"),
            new FieldError("amount.currency",
                "must be an ISO 4217 code with minor units, in capitals, such as EUR")),
        e.errors());
  }

  @Test
  void wellFormedMoneyIsRead() {
    JsonBody body = JsonBody.parse("{\"amount\": {\"amount\": 12900, \"currency\": \"EUR\"}}");

    assertEquals(new Money(12_900, "EUR"), body.requiredMoney("amount", 1_000_000));
    body.validate();
  }
}
