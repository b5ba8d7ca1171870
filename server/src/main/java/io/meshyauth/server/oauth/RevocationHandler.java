package io.meshyauth.server.oauth;

import io.meshyauth.server.errors.ApiError;
import io.meshyauth.server.store.Account;
import io.meshyauth.server.store.AccountStore;
import io.meshyauth.server.store.RefreshTokenRecord;
import io.meshyauth.server.store.RefreshTokenStore;
import io.meshyauth.server.token.RefreshTokens;
import java.time.Clock;
import java.util.Optional;

/**
 * RFC 7009: revoking a refresh token ends its whole family (MeshyDB's logout). A client that names itself is
 * authenticated first, and revokes only its own tokens (section 2.1); a request that names no client revokes a token
 * of a public client of the account, as MeshyDB's SDKs send it, never one of a confidential client.
 */
public final class RevocationHandler {
  private final ClientAuthenticator clients;
  private final AccountStore accounts;
  private final RefreshTokenStore refreshTokens;
  private final Clock clock;

  public RevocationHandler(ClientAuthenticator clients, AccountStore accounts, RefreshTokenStore refreshTokens,
      Clock clock) {
    this.clients = clients;
    this.accounts = accounts;
    this.refreshTokens = refreshTokens;
    this.clock = clock;
  }

  public void handle(RevocationRequest request) {
    var caller = request.credentials().clientId().isPresent()
        ? Optional.of(clients.authenticate(request.account(), request.credentials(), request.clientAddress()))
        : Optional.<AuthenticatedClient>empty();
    if (request.tokenTypeHint().filter("access_token"::equals).isPresent()) {
      // access tokens are self-contained JWTs that expire on their own (RFC 7009 section 2.2.1)
      throw ApiError.unsupportedTokenType();
    }
    // RFC 7009 section 2.2: an invalid or unknown token still gets 200
    refreshTokens.findRefreshToken(RefreshTokens.hash(request.token()))
        .filter(token -> token.accountName().equals(request.accountName()))
        .filter(token -> caller.map(client -> client.clientId().equals(token.clientId()))
            .orElseGet(() -> ofPublicClient(token)))
        .ifPresent(token -> refreshTokens.revokeFamily(token.familyId(), clock.instant()));
  }

  private boolean ofPublicClient(RefreshTokenRecord token) {
    return accounts.findClient(token.accountName(), token.clientId()).filter(client -> !client.confidential())
        .isPresent();
  }

  /** @param account the request's account as found, empty when there is none of the path's name */
  public record RevocationRequest(Optional<Account> account, String accountName, String token,
      Optional<String> tokenTypeHint, ClientCredentials credentials, String clientAddress) {
    @Override
    public String toString() {
      return "RevocationRequest[accountName=" + accountName + ", tokenTypeHint=" + tokenTypeHint + ", credentials="
          + credentials + "]";
    }
  }
}
