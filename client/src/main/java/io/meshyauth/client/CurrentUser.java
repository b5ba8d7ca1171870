package io.meshyauth.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The signed-in user as MeshyDB's SDKs know it ({@code connection.currentUser}): read from the access token's
 * claims, without a request. The token is not verified here: it came from the server over this connection.
 */
public record CurrentUser(String id, String username, Optional<String> firstName, Optional<String> lastName,
    List<String> roles, List<String> permissions) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public CurrentUser {
    roles = List.copyOf(roles);
    permissions = List.copyOf(permissions);
  }

  static CurrentUser of(String accessToken) {
    var parts = accessToken.split("\\.");
    if (parts.length != 3) {
      throw new IllegalStateException("The access token is not a JWT.");
    }
    JsonNode claims;
    try {
      claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException("The access token's claims cannot be read.", e);
    }
    return new CurrentUser(claims.path("sub").asText(), claims.path("id").asText(), text(claims, "given_name"),
        text(claims, "family_name"), list(claims, "role"), list(claims, "permission"));
  }

  private static Optional<String> text(JsonNode claims, String name) {
    return claims.hasNonNull(name) ? Optional.of(claims.get(name).asText()) : Optional.empty();
  }

  /** An array, or a single value as some servers send one role. */
  private static List<String> list(JsonNode claims, String name) {
    var node = claims.get(name);
    var values = new ArrayList<String>();
    if (node == null || node.isNull()) {
      return values;
    }
    if (node.isArray()) {
      node.forEach(element -> values.add(element.asText()));
    } else {
      values.add(node.asText());
    }
    return values;
  }
}
