package io.meshyauth.client;

import java.time.Instant;
import java.util.Optional;

/**
 * The tokens of one login. Thread-safe: concurrent callers share one refresh, which matters because refresh
 * tokens are single use and presenting one twice revokes the whole login.
 */
public final class MeshyConnection {
  private final MeshyClient client;
  private Tokens tokens; // guarded by this; null once signed out

  MeshyConnection(MeshyClient client, Tokens tokens) {
    this.client = client;
    this.tokens = tokens;
  }

  /**
   * A valid access token, refreshed first when it expires within the client's refresh skew. Callers that arrive
   * during a refresh wait for it and get its token.
   */
  public synchronized String accessToken() {
    var current = current();
    var refreshFrom = current.expiresAt().minus(client.refreshSkew());
    if (client.clock().instant().isBefore(refreshFrom)) {
      return current.accessToken();
    }
    if (current.refreshToken().isPresent()) {
      refresh();
      return tokens.accessToken();
    }
    if (client.clock().instant().isBefore(current.expiresAt())) {
      return current.accessToken();
    }
    throw new IllegalStateException("The access token has expired and this login has no refresh token.");
  }

  /**
   * The signed-in user as MeshyDB's SDKs give it ({@code connection.currentUser}), read from the current access
   * token's claims without a request; after a refresh it reflects the user's profile at that refresh.
   */
  public synchronized CurrentUser currentUser() {
    return CurrentUser.of(current().accessToken());
  }

  public synchronized Optional<String> refreshToken() {
    return current().refreshToken();
  }

  public synchronized Instant accessTokenExpiresAt() {
    return current().expiresAt();
  }

  public synchronized String scope() {
    return current().scope();
  }

  /** Exchanges the refresh token for new tokens now (RFC 6749 section 6); the old refresh token is spent. */
  public synchronized void refresh() {
    var current = current();
    var refreshToken = current.refreshToken()
        .orElseThrow(() -> new IllegalStateException("This login has no refresh token (offline_access not granted)."));
    tokens = client.refresh(refreshToken, current.scope());
  }

  /** Revokes the refresh token (RFC 7009). The connection is unusable afterwards, even when revocation fails. */
  public synchronized void signOut() {
    var current = tokens;
    if (current == null) {
      return;
    }
    tokens = null;
    current.refreshToken().ifPresent(client::revoke);
  }

  private Tokens current() {
    if (tokens == null) {
      throw new IllegalStateException("Signed out.");
    }
    return tokens;
  }

  @Override
  public synchronized String toString() {
    return tokens == null ? "MeshyConnection[account=" + client.accountName() + ", signed out]"
        : "MeshyConnection[account=" + client.accountName() + ", scope=" + tokens.scope() + ", accessTokenExpiresAt="
            + tokens.expiresAt() + "]";
  }

  record Tokens(String accessToken, Optional<String> refreshToken, Instant expiresAt, String scope) {
    @Override
    public String toString() {
      return "Tokens[scope=" + scope + ", expiresAt=" + expiresAt + "]";
    }
  }
}
