package io.meshyauth.server.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.meshyauth.server.errors.ApiError;
import io.meshyauth.server.store.UserQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * MeshyDB's {@code orderBy}, a Mongo sort document: {@code {"username":1}} from the JS SDK, {@code { Username:1,
 * LastName:-1 }} (unquoted keys named after the C# members) from the .NET SDK. Read as relaxed JSON, field names
 * matched case aside, in the order written.
 */
final class OrderBy {
  private static final JsonMapper RELAXED = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES, JsonReadFeature.ALLOW_SINGLE_QUOTES)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();
  private static final Map<String, UserQuery.Field> FIELDS = Map.of(
      "id", UserQuery.Field.ID,
      "username", UserQuery.Field.USERNAME,
      "firstname", UserQuery.Field.FIRST_NAME,
      "lastname", UserQuery.Field.LAST_NAME,
      "emailaddress", UserQuery.Field.EMAIL_ADDRESS,
      "phonenumber", UserQuery.Field.PHONE_NUMBER,
      "verified", UserQuery.Field.VERIFIED,
      "isactive", UserQuery.Field.IS_ACTIVE,
      "anonymous", UserQuery.Field.ANONYMOUS);
  /** The document's maxLength of orderBy. */
  static final int MAX_LENGTH = 512;
  private static final String SHAPE = "orderBy must be a sort document such as {\"username\":1}.";

  private OrderBy() {
  }

  static List<UserQuery.Order> parse(Optional<String> text) {
    if (text.isEmpty()) {
      return List.of();
    }
    JsonNode document;
    try {
      document = RELAXED.readTree(text.get());
    } catch (JsonProcessingException e) {
      throw ApiError.invalidRequest(SHAPE);
    }
    if (document == null || !document.isObject()) {
      throw ApiError.invalidRequest(SHAPE);
    }
    var orders = new ArrayList<UserQuery.Order>();
    var fields = document.fields();
    while (fields.hasNext()) {
      var entry = fields.next();
      var field = FIELDS.get(entry.getKey().toLowerCase(Locale.ROOT));
      if (field == null) {
        throw ApiError.invalidRequest("orderBy cannot sort by \"" + printable(entry.getKey()) + "\".");
      }
      var direction = entry.getValue();
      if (!direction.isIntegralNumber() || (direction.asInt() != 1 && direction.asInt() != -1)) {
        throw ApiError.invalidRequest("orderBy takes 1 (ascending) or -1 (descending) for each field.");
      }
      orders.add(new UserQuery.Order(field, direction.asInt() == 1));
    }
    return orders;
  }

  /** The field as it is echoed in the message: short, and without control characters. */
  private static String printable(String field) {
    var cut = field.length() > 40 ? field.substring(0, 40) + "..." : field;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }
}
