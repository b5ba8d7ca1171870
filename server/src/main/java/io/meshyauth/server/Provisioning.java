package io.meshyauth.server;

import io.meshyauth.server.ServerConfig.AccountDefaults;
import io.meshyauth.server.events.SecurityEvent.UserChanged;
import io.meshyauth.server.events.SecurityEvents;
import io.meshyauth.server.password.Argon2Implementation;
import io.meshyauth.server.password.Argon2PasswordHasher;
import io.meshyauth.server.password.PasswordHasher;
import io.meshyauth.server.store.Account;
import io.meshyauth.server.store.NotFoundException;
import io.meshyauth.server.store.Stores;
import io.meshyauth.server.store.User;
import io.meshyauth.server.store.UserProfile;
import io.meshyauth.server.token.SigningKeys;
import io.meshyauth.server.values.Password;
import io.meshyauth.server.values.Scope;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** What an operator sets up: accounts with their clients and keys, and users. Used by the CLI, demo mode and tests. */
public final class Provisioning {
  /** What MeshyDB's SDKs ask for. */
  public static final Scope DEFAULT_SCOPES = Scope.of(List.of("meshy.api", Scope.OFFLINE_ACCESS, "openid"));

  private final Stores stores;
  private final PasswordHasher hasher;
  private final SigningKeys signingKeys;
  private final AccountDefaults defaults;
  private final Clock clock;
  private final SecurityEvents events;

  Provisioning(Stores stores, PasswordHasher hasher, SigningKeys signingKeys, AccountDefaults defaults, Clock clock,
      SecurityEvents events) {
    this.stores = stores;
    this.hasher = hasher;
    this.signingKeys = signingKeys;
    this.defaults = defaults;
    this.clock = clock;
    this.events = events;
  }

  /** Provisioning without a server and without an audit log: hashing and signing keys as configured. */
  public static Provisioning open(ServerConfig config, Stores stores) {
    return open(config, stores, SecurityEvents.NONE);
  }

  /** Provisioning without a server, e.g. for the CLI, reporting user and key changes to {@code events}. */
  public static Provisioning open(ServerConfig config, Stores stores, SecurityEvents events) {
    return new Provisioning(stores, new Argon2PasswordHasher(config.argon2(),
        Argon2Implementation.choose(config.nativeCrypto())),
        new SigningKeys(stores.signingKeys(), config.clock(), config.keyRotationPeriod(), events),
        config.accountDefaults(), config.clock(), events);
  }

  /** The account of that name; {@link NotFoundException} when there is none. */
  public Account account(String accountName) {
    return requireAccount(accountName);
  }

  /** An account with one public client, MeshyDB's scopes and the configured lifetimes and limit. */
  public Account createAccount(String accountName, String clientId) {
    return createAccount(accountName, clientId, false);
  }

  public Account createAccount(String accountName, String clientId, boolean anonymousRegistration) {
    return createAccount(new Account(accountName, Set.of(clientId), DEFAULT_SCOPES, defaults.accessTokenLifetime(),
        defaults.refreshTokenLifetime(), defaults.refreshTokenAbsoluteLifetime(), defaults.requestsPerMinute(),
        anonymousRegistration));
  }

  /** Stores the account and its first signing key, so its JWK set is never empty. */
  public Account createAccount(Account account) {
    stores.accounts().createAccount(account);
    signingKeys.create(account);
    return account;
  }

  public User createUser(String accountName, String username, Password password) {
    requireAccount(accountName);
    var user = new User(UUID.randomUUID().toString(), accountName, username, Optional.of(hasher.hash(password)), true,
        true, false, clock.instant());
    stores.users().createUser(user);
    return user;
  }

  /** Creates the user as above, then gives it the profile. */
  public User createUser(String accountName, String username, Password password, ProfileChange profile) {
    var user = createUser(accountName, username, password);
    return applyProfile(user, profile);
  }

  /**
   * Changes what {@code change} names and keeps the rest; a role the user keeps keeps the date it was given.
   * {@link NotFoundException} when there is no such user.
   */
  public User updateProfile(String accountName, String username, ProfileChange change) {
    return applyProfile(requireUser(accountName, username), change);
  }

  private User applyProfile(User user, ProfileChange change) {
    var current = user.profile();
    var now = clock.instant();
    var roles = change.roles()
        .map(names -> names.stream()
            .map(name -> current.roles().stream().filter(role -> role.name().equals(name)).findFirst()
                .orElseGet(() -> new UserProfile.Role(name, now)))
            .toList())
        .orElse(current.roles());
    var profile = new UserProfile(
        change.firstName().map(Provisioning::blankAsNone).orElse(current.firstName()),
        change.lastName().map(Provisioning::blankAsNone).orElse(current.lastName()),
        current.emailAddress(), current.phoneNumber(), roles, change.permissions().orElse(current.permissions()));
    stores.users().updateProfile(user.accountName(), user.id(), profile);
    return user.withProfile(profile);
  }

  private static Optional<String> blankAsNone(String value) {
    return value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  /**
   * What to change of a user's profile: an empty field is kept as it is; a blank name removes the name, an
   * empty list removes every role or permission.
   */
  public record ProfileChange(Optional<String> firstName, Optional<String> lastName, Optional<List<String>> roles,
      Optional<List<String>> permissions) {
    public static final ProfileChange NONE = new ProfileChange(Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty());

    public ProfileChange {
      roles = roles.map(List::copyOf);
      permissions = permissions.map(List::copyOf);
    }
  }

  public User createAnonymousUser(String accountName, String username) {
    requireAccount(accountName);
    var user = new User(UUID.randomUUID().toString(), accountName, username, Optional.empty(), true, false, true,
        clock.instant());
    stores.users().createUser(user);
    return user;
  }

  public void setActive(String accountName, String username, boolean active) {
    var user = requireUser(accountName, username);
    stores.users().updateUser(user.withActive(active));
    events.report(new UserChanged(active ? UserChanged.Change.REACTIVATED : UserChanged.Change.DEACTIVATED,
        accountName, user.username(), user.id()));
  }

  /** Deletes the user and every refresh token issued to it. */
  public void deleteUser(String accountName, String username) {
    var user = requireUser(accountName, username);
    stores.users().deleteUser(accountName, user.id());
    events.report(new UserChanged(UserChanged.Change.DELETED, accountName, user.username(), user.id()));
  }

  /** A new signing key, published now and signing once clients' cached JWK sets have it (see {@link SigningKeys}). */
  public SigningKeys.Rotation rotateSigningKey(String accountName) {
    return signingKeys.rotate(requireAccount(accountName));
  }

  /** For a compromised key: a new key signs now and the others leave the JWK set now, their tokens with them. */
  public SigningKeys.Rotation rotateSigningKeyNow(String accountName) {
    return signingKeys.rotateNow(requireAccount(accountName));
  }

  private Account requireAccount(String accountName) {
    return stores.accounts().findAccount(accountName)
        .orElseThrow(() -> new NotFoundException("no account " + accountName));
  }

  private User requireUser(String accountName, String username) {
    return stores.users().findUser(accountName, username)
        .orElseThrow(() -> new NotFoundException("no user " + username + " in account " + accountName));
  }
}
