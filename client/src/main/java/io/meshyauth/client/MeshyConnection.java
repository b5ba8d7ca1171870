package io.meshyauth.client;

import io.meshyauth.client.generated.api.AdministrationApi;
import io.meshyauth.client.generated.api.SelfApi;
import io.meshyauth.client.generated.model.SecurityQuestionUpdate;
import io.meshyauth.client.generated.model.UserUpdate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The tokens of one login. Thread-safe: concurrent callers share one refresh, which matters because refresh
 * tokens are single use and presenting one twice revokes the whole login.
 */
public final class MeshyConnection {
  private final MeshyClient client;
  // sends this connection's access token, refreshed when due, as its bearer
  private final SelfApi self;
  private Tokens tokens; // guarded by this; null once signed out
  private Administration administration; // guarded by this; made at its first use

  MeshyConnection(MeshyClient client, Tokens tokens) {
    this.client = client;
    this.tokens = tokens;
    this.self = client.authorized(this::accessToken, SelfApi.class);
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

  /** The signed-in user as the server holds it now (MeshyDB's {@code usersService.getSelf}). */
  public User getSelf() {
    return User.of(client.send(() -> self.getSelf(client.accountName())));
  }

  /**
   * Replaces the signed-in user's names and contacts with those of {@code user} (MeshyDB's {@code updateSelf}),
   * typically one from {@link #getSelf()} changed with its {@code with...} methods; a name or contact left empty
   * is removed. Answers the user as it now is. Where the account verifies by {@code email} or {@code text}, the
   * e-mail address or phone number is required. Roles are not sent: they change only through the account's
   * administration.
   */
  public User updateSelf(User user) {
    Objects.requireNonNull(user, "user");
    var body = new UserUpdate()
        .firstName(user.firstName().orElse(null))
        .lastName(user.lastName().orElse(null))
        .phoneNumber(user.phoneNumber().orElse(null))
        .emailAddress(user.emailAddress().orElse(null))
        .roles(null);
    return User.of(client.send(() -> self.updateSelf(client.accountName(), body)));
  }

  /**
   * Replaces the signed-in user's security questions (MeshyDB's {@code updateSecurityQuestion}); only where the
   * account verifies by {@code question}.
   */
  public void updateSecurityQuestions(List<SecurityQuestion> questions) {
    var body = new SecurityQuestionUpdate().securityQuestions(MeshyClient.answers(List.copyOf(questions)));
    client.send(() -> {
      self.updateSecurityQuestions(client.accountName(), body);
      return null;
    });
  }

  /**
   * The account's users, as this connection's user may manage them (MeshyDB's {@code usersService}): what its
   * access token's permissions on {@code users} allow.
   */
  public UsersService users() {
    return administration().users();
  }

  /**
   * The account's roles, their permissions and holders, as this connection's user may manage them (MeshyDB's
   * {@code rolesService}): what its access token's permissions on {@code roles} allow.
   */
  public RolesService roles() {
    return administration().roles();
  }

  private synchronized Administration administration() {
    if (administration == null) {
      var api = client.authorized(this::accessToken, AdministrationApi.class);
      administration = new Administration(new UsersService(client, api), new RolesService(client, api));
    }
    return administration;
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

  private record Administration(UsersService users, RolesService roles) {
  }

  record Tokens(String accessToken, Optional<String> refreshToken, Instant expiresAt, String scope) {
    @Override
    public String toString() {
      return "Tokens[scope=" + scope + ", expiresAt=" + expiresAt + "]";
    }
  }
}
