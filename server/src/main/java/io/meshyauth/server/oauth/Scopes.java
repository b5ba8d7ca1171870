package io.meshyauth.server.oauth;

import io.meshyauth.server.errors.ApiError;
import io.meshyauth.server.values.Scope;
import java.util.Optional;
import java.util.stream.Collectors;

/** Which scope a grant yields (RFC 6749 section 3.3). */
final class Scopes {
  private Scopes() {
  }

  /**
   * The requested scope when the client may have all of it: what the account allows, and of that what a
   * confidential client was given, if it was given a scope. A client that names no scope gets every scope it may
   * have except offline_access: a refresh token is only issued when asked for.
   */
  static Scope grant(AuthenticatedClient client, Optional<Scope> requested) {
    var allowed = allowed(client);
    if (requested.isEmpty()) {
      return new Scope(allowed.values().stream()
          .filter(s -> !s.equals(Scope.OFFLINE_ACCESS))
          .collect(Collectors.toSet()));
    }
    if (!allowed.containsAll(requested.get())) {
      throw ApiError.invalidScope().because(client.client().scope().isPresent()
          ? "scope beyond the client's allowed scopes" : "scope beyond the account's allowed scopes");
    }
    return requested.get();
  }

  private static Scope allowed(AuthenticatedClient client) {
    var account = client.account().allowedScopes();
    return client.client().scope()
        .map(own -> new Scope(own.values().stream().filter(account.values()::contains).collect(Collectors.toSet())))
        .orElse(account);
  }

  /** RFC 6749 section 6: a refresh may narrow the original scope, never widen it. */
  static Scope narrow(Scope original, Optional<Scope> requested) {
    if (requested.isEmpty()) {
      return original;
    }
    if (!original.containsAll(requested.get())) {
      throw ApiError.invalidScope().because("refresh asked to widen the token's scope");
    }
    return requested.get();
  }
}
