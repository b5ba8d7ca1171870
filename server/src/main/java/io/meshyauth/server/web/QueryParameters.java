package io.meshyauth.server.web;

import io.meshyauth.server.errors.ApiError;
import java.util.Locale;
import java.util.Optional;

/**
 * MeshyDB's query parameters as its SDKs send them: the .NET SDK sends every parameter, empty when unset, and
 * {@code True}/{@code False}; the JS SDK sends an explicitly undefined one as the text {@code undefined}. Each counts
 * as the parameter left out. The limits are the document's ({@code Page}, {@code PageSize}).
 */
final class QueryParameters {
  static final int MAX_PAGE_SIZE = 200;
  static final int DEFAULT_PAGE_SIZE = 25;
  /** The document's maxLength of the Name and PermissibleName parameters, and of the ids (RoleIdFilter). */
  static final int MAX_NAME_LENGTH = 128;
  static final int MAX_ID_LENGTH = 64;

  private QueryParameters() {
  }

  static Optional<String> text(String value) {
    return Optional.ofNullable(value).filter(text -> !text.isEmpty() && !"undefined".equals(text));
  }

  /** As {@link #text(String)}, refusing a value over the document's maxLength of the parameter. */
  static Optional<String> text(String name, String value, int maxLength) {
    var text = text(value);
    if (text.filter(given -> given.length() > maxLength).isPresent()) {
      throw ApiError.invalidRequest(name + " must be at most " + maxLength + " characters.");
    }
    return text;
  }

  static Optional<Boolean> bool(String name, String value) {
    return text(value).map(text -> switch (text.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw ApiError.invalidRequest(name + " must be true or false.");
    });
  }

  static int page(String value) {
    return number("page", value, 1, Integer.MAX_VALUE).orElse(1);
  }

  static int pageSize(String value) {
    return number("pageSize", value, 1, MAX_PAGE_SIZE).orElse(DEFAULT_PAGE_SIZE);
  }

  private static Optional<Integer> number(String name, String value, int min, int max) {
    return text(value).map(text -> {
      int number;
      try {
        number = Integer.parseInt(text.strip());
      } catch (NumberFormatException e) {
        throw ApiError.invalidRequest(name + " must be a whole number from " + min + " to " + max + ".");
      }
      if (number < min || number > max) {
        throw ApiError.invalidRequest(name + " must be a whole number from " + min + " to " + max + ".");
      }
      return number;
    });
  }
}
