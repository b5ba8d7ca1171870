package io.meshyauth.server.oauth;

import io.meshyauth.server.errors.ApiError;
import io.meshyauth.server.store.Account;
import io.meshyauth.server.store.AccountStore;
import io.meshyauth.server.store.RefreshTokenStore;
import io.meshyauth.server.store.User;
import io.meshyauth.server.store.UserStore;
import io.meshyauth.server.token.AccessTokenVerifier;
import io.meshyauth.server.token.AccessTokenVerifier.VerifiedAccessToken;
import io.meshyauth.server.token.RefreshTokens;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * RFC 7662: a confidential client of the account asks whether a token of that account is active. An access token is
 * active while its signature, issuer, audience and expiry hold and what it stands for still stands: its client still
 * exists, and its user exists and is active and its session (claim {@code sid}) was not logged out or revoked, or,
 * for a client's own token, the client is still confidential. A refresh token is active while it was neither rotated
 * nor revoked, has not expired, and its user is active. Anything else, another account's tokens included, is
 * inactive, with nothing more said (section 2.2).
 */
public final class IntrospectionHandler {
  private static final String ACCESS_TOKEN = "access_token";
  private static final String REFRESH_TOKEN = "refresh_token";

  private final ClientAuthenticator clients;
  private final AccountStore accounts;
  private final UserStore users;
  private final RefreshTokenStore refreshTokens;
  private final AccessTokenVerifier verifier;
  private final Clock clock;

  public IntrospectionHandler(ClientAuthenticator clients, AccountStore accounts, UserStore users,
      RefreshTokenStore refreshTokens, AccessTokenVerifier verifier, Clock clock) {
    this.clients = clients;
    this.accounts = accounts;
    this.users = users;
    this.refreshTokens = refreshTokens;
    this.verifier = verifier;
    this.clock = clock;
  }

  /** What the token is, when it is active; empty when it is not. */
  public Optional<ActiveToken> handle(IntrospectionRequest request) {
    if (request.credentials().clientId().isEmpty()) {
      // section 2.1: the endpoint is for a client that authenticates, and one that sent nothing is told how
      throw ApiError.clientAuthenticationFailed().because("no client credentials");
    }
    var caller = clients.authenticate(request.account(), request.credentials(), request.clientAddress());
    if (!caller.confidential()) {
      // section 2.1: the endpoint is for protected resources, which authenticate; a public client cannot
      throw ApiError.clientAuthenticationFailed().because("a public client may not introspect");
    }
    var account = caller.account();
    // section 2.1: the hint says where to look first; a token of the other kind is still found
    return request.tokenTypeHint().filter(REFRESH_TOKEN::equals).isPresent()
        ? refreshToken(account, request.token()).or(() -> accessToken(account, request.token()))
        : accessToken(account, request.token()).or(() -> refreshToken(account, request.token()));
  }

  private Optional<ActiveToken> accessToken(Account account, String token) {
    return verifier.verify(account, token).filter(verified -> stillStands(account, verified))
        .map(verified -> new ActiveToken(verified.scope(), verified.clientId(), verified.username(), "Bearer",
            verified.expiresAt(), verified.issuedAt(), verified.subject(), Optional.of(verified.audience()),
            verified.issuer(), Optional.of(verified.jwtId()).filter(id -> !id.isEmpty())));
  }

  private boolean stillStands(Account account, VerifiedAccessToken token) {
    if (!token.ofUser()) {
      return accounts.findClient(account.name(), token.subject()).filter(client -> client.confidential()).isPresent();
    }
    return users.findUserById(account.name(), token.subject()).filter(User::active).isPresent()
        && token.sessionId().map(refreshTokens::isFamilyLive).orElse(true)
        && accounts.findClient(account.name(), token.clientId()).isPresent();
  }

  private Optional<ActiveToken> refreshToken(Account account, String token) {
    var now = clock.instant();
    return refreshTokens.findRefreshToken(RefreshTokens.hash(token))
        .filter(found -> found.accountName().equals(account.name()))
        .filter(found -> found.isLive() && !found.isExpiredAt(now))
        .flatMap(found -> users.findUserById(account.name(), found.userId()).filter(User::active)
            .map(user -> new ActiveToken(found.scope().toString(), found.clientId(), Optional.of(user.username()),
                REFRESH_TOKEN, found.expiresAt().isBefore(found.familyExpiresAt()) ? found.expiresAt()
                    : found.familyExpiresAt(), found.issuedAt(), user.id(), Optional.empty(),
                verifier.issuerFor(account), Optional.empty())));
  }

  /**
   * @param account the request's account as found, empty when there is none of the path's name
   * @param tokenTypeHint {@value #ACCESS_TOKEN} or {@value #REFRESH_TOKEN}; anything else is no hint
   */
  public record IntrospectionRequest(Optional<Account> account, String token, Optional<String> tokenTypeHint,
      ClientCredentials credentials, String clientAddress) {
    @Override
    public String toString() {
      return "IntrospectionRequest[tokenTypeHint=" + tokenTypeHint + ", credentials=" + credentials + "]";
    }
  }

  /** RFC 7662 section 2.2's members of an active token. */
  public record ActiveToken(String scope, String clientId, Optional<String> username, String tokenType,
      Instant expiresAt, Instant issuedAt, String subject, Optional<String> audience, String issuer,
      Optional<String> jwtId) {
  }
}
