package io.meshyauth.server.oauth;

import io.meshyauth.server.errors.ApiError;
import io.meshyauth.server.store.Account;
import io.meshyauth.server.values.Scope;
import java.util.Optional;
import java.util.stream.Collectors;

/** Which scope a grant yields (RFC 6749 section 3.3). */
final class Scopes {
  private Scopes() {
  }

  /**
   * The requested scope when the account allows all of it. A client that names no scope gets every scope
   * the account allows except offline_access: a refresh token is only issued when asked for.
   */
  static Scope grant(Account account, Optional<Scope> requested) {
    if (requested.isEmpty()) {
      return new Scope(account.allowedScopes().values().stream()
          .filter(s -> !s.equals(Scope.OFFLINE_ACCESS))
          .collect(Collectors.toSet()));
    }
    if (!account.allowedScopes().containsAll(requested.get())) {
      throw ApiError.invalidScope().because("scope beyond the account's allowed scopes");
    }
    return requested.get();
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
