package io.meshyauth.server.users;

import io.meshyauth.server.errors.ApiError;
import io.meshyauth.server.store.Account;
import io.meshyauth.server.token.AccessTokenVerifier;
import io.meshyauth.server.values.Permission;
import java.util.HashSet;
import java.util.Optional;

/**
 * Whether a bearer token may call an administration endpoint: from the token's own claims, with no store read, so
 * that a role's change reaches a user at its next login or refresh (as MeshyDB documents) and a check costs one
 * signature verification. Only the server's own permissibles ({@code users}, {@code roles}) guard its endpoints.
 */
public final class Authorizer {
  private final AccessTokenVerifier verifier;

  public Authorizer(AccessTokenVerifier verifier) {
    this.verifier = verifier;
  }

  /**
   * The caller when the token is of this account, valid and carries {@code needed}: a 401 with MeshyDB's message
   * when it is missing or not good for the account (an unknown account has no key that could have signed it), a
   * 403 when it lacks the permission.
   */
  public Caller authorize(Optional<Account> account, Optional<String> bearerToken, Permission needed) {
    var token = bearerToken.orElseThrow(() -> ApiError.notAuthorized(false));
    var verified = account.flatMap(found -> verifier.verify(found, token))
        .orElseThrow(() -> ApiError.notAuthorized(true));
    var caller = new Caller(account.get(), verified.subject(), verified.roles(), new HashSet<>(
        verified.permissions()));
    if (!caller.may(needed)) {
      // MeshyDB's text, its spelling included
      throw ApiError.insufficientPermission("User has insufficent permission to " + needed.operation().claimName()
          + " " + needed.permissible() + ".").because("token lacks " + needed.claim());
    }
    return caller;
  }
}
