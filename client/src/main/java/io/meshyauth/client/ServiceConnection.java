package io.meshyauth.client;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A service's login (RFC 6749 section 4.4): a confidential client's own access token, with no user and no refresh
 * token. Before the token expires the connection asks for a new one with the same credentials (section 4.4.3: a
 * refresh token "SHOULD NOT be included"). The same credentials authenticate {@link #introspect(String)}.
 * Thread-safe: concurrent callers share one renewal.
 */
public final class ServiceConnection {
  private final MeshyClient client;
  private final MeshyClient.ServiceCredentials credentials;
  private final Optional<String> requestedScope;
  private MeshyConnection.Tokens tokens; // guarded by this

  ServiceConnection(MeshyClient client, MeshyClient.ServiceCredentials credentials, Optional<String> requestedScope,
      MeshyConnection.Tokens tokens) {
    this.client = client;
    this.credentials = credentials;
    this.requestedScope = requestedScope;
    this.tokens = tokens;
  }

  /** A valid access token, asked for anew first when it expires within the client's refresh skew. */
  public synchronized String accessToken() {
    if (!client.clock().instant().isBefore(tokens.expiresAt().minus(client.refreshSkew()))) {
      renew();
    }
    return tokens.accessToken();
  }

  public synchronized Instant accessTokenExpiresAt() {
    return tokens.expiresAt();
  }

  /** The scopes the server granted, space-separated: at most those the client is allowed. */
  public synchronized String scope() {
    return tokens.scope();
  }

  /** Asks for a new access token now, with the client's credentials. */
  public synchronized void renew() {
    tokens = client.clientCredentials(credentials, requestedScope);
  }

  /**
   * Whether the token, an access token or a refresh token of this account, is active, and what it carries (RFC
   * 7662). The only way to learn that an access token was revoked before it expires: its signature alone still
   * verifies. Sends the client's credentials, not its access token.
   */
  public Introspection introspect(String token) {
    Objects.requireNonNull(token, "token");
    return client.introspect(credentials, token);
  }

  @Override
  public synchronized String toString() {
    return "ServiceConnection[account=" + client.accountName() + ", scope=" + tokens.scope()
        + ", accessTokenExpiresAt=" + tokens.expiresAt() + "]";
  }
}
