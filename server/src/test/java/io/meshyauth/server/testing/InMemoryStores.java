package io.meshyauth.server.testing;

import io.meshyauth.server.store.Account;
import io.meshyauth.server.store.AccountStore;
import io.meshyauth.server.store.Client;
import io.meshyauth.server.store.ClientSecret;
import io.meshyauth.server.store.ConflictException;
import io.meshyauth.server.store.DuplicateException;
import io.meshyauth.server.store.NotFoundException;
import io.meshyauth.server.store.RefreshTokenRecord;
import io.meshyauth.server.store.RefreshTokenStore;
import io.meshyauth.server.store.RotationOutcome;
import io.meshyauth.server.store.SecurityQuestion;
import io.meshyauth.server.store.SignUpPolicy;
import io.meshyauth.server.store.SigningKey;
import io.meshyauth.server.store.SigningKeyStore;
import io.meshyauth.server.store.StoreException;
import io.meshyauth.server.store.Stores;
import io.meshyauth.server.store.User;
import io.meshyauth.server.store.UserProfile;
import io.meshyauth.server.store.UserStore;
import io.meshyauth.server.store.Usernames;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The four store interfaces over maps, for unit tests of the grant logic without a database. One database's
 * worth of state: every store {@link #open()} hands out sees it, and each method is one transaction (one lock),
 * with the same constraints and cascades as the JDBC store. Instants are kept to the millisecond, as the JDBC
 * store keeps them. {@code InMemoryStoreTest} runs the store contracts on it, so it answers as the real one does.
 */
public final class InMemoryStores {
  private final Map<String, Account> accounts = new HashMap<>();
  /** Every account's clients by id, public and confidential; the account's clientIds name the same ones. */
  private final Map<String, Map<String, Client>> clients = new HashMap<>();
  private final Map<String, User> users = new HashMap<>();
  /** By user id (ids are unique across accounts, as the users table's primary key makes them), in position order. */
  private final Map<String, List<SecurityQuestion>> questions = new HashMap<>();
  private final Map<String, RefreshTokenRecord> tokens = new HashMap<>();
  /** Every family by id, with the time it was revoked, if it was. */
  private final Map<String, Optional<Instant>> families = new HashMap<>();
  private final Map<String, SigningKey> keys = new HashMap<>();

  /** Stores over a fresh, empty database. */
  public static Stores fresh() {
    return new InMemoryStores().open();
  }

  /** The stores over this database; closing them keeps what they committed, as closing a database file does. */
  public Stores open() {
    return new Stores(new Accounts(), new Users(), new RefreshTokens(), new SigningKeys(), () -> {
    });
  }

  /** How many refresh tokens are stored, live, rotated or revoked: what a refused grant must not change. */
  public synchronized int refreshTokenCount() {
    return tokens.size();
  }

  private static Instant millis(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MILLIS);
  }

  private static ClientSecret kept(ClientSecret secret) {
    return new ClientSecret(secret.id(), secret.hash(), millis(secret.createdAt()));
  }

  /** What a broken foreign key or check constraint gets from the JDBC store. */
  private static StoreException constraint(String what) {
    return new StoreException("writing to the store failed: " + what);
  }

  private final class Accounts implements AccountStore {
    @Override
    public Optional<Account> findAccount(String name) {
      synchronized (InMemoryStores.this) {
        return Optional.ofNullable(accounts.get(name));
      }
    }

    @Override
    public void createAccount(Account account) {
      synchronized (InMemoryStores.this) {
        if (accounts.putIfAbsent(account.name(), account) != null) {
          throw new DuplicateException("account " + account.name() + " exists");
        }
        var publicClients = new HashMap<String, Client>();
        account.clientIds().forEach(id -> publicClients.put(id, Client.publicClient(account.name(), id)));
        clients.put(account.name(), publicClients);
      }
    }

    @Override
    public void createClient(Client client) {
      synchronized (InMemoryStores.this) {
        var account = accounts.get(client.accountName());
        if (account == null) {
          throw new NotFoundException("no account " + client.accountName());
        }
        if (account.hasClient(client.clientId())) {
          throw new DuplicateException("account " + client.accountName() + " has client " + client.clientId()
              + " already");
        }
        clients.get(client.accountName()).put(client.clientId(), client.withSecrets(client.secrets().stream()
            .map(InMemoryStores::kept).toList()));
        var clientIds = new HashSet<>(account.clientIds());
        clientIds.add(client.clientId());
        accounts.put(account.name(), withClientIds(account, clientIds));
      }
    }

    @Override
    public Optional<Client> findClient(String accountName, String clientId) {
      synchronized (InMemoryStores.this) {
        return Optional.ofNullable(clients.getOrDefault(accountName, Map.of()).get(clientId));
      }
    }

    @Override
    public List<Client> listClients(String accountName) {
      synchronized (InMemoryStores.this) {
        if (!accounts.containsKey(accountName)) {
          throw new NotFoundException("no account " + accountName);
        }
        return clients.get(accountName).values().stream().sorted(Comparator.comparing(Client::clientId)).toList();
      }
    }

    @Override
    public void addClientSecret(String accountName, String clientId, ClientSecret secret) {
      synchronized (InMemoryStores.this) {
        var client = existingClient(accountName, clientId);
        if (!client.confidential()) {
          throw new ConflictException("client " + clientId + " of account " + accountName
              + " is public: it has no secrets");
        }
        if (client.secrets().size() >= Client.MAX_SECRETS) {
          throw new ConflictException("client " + clientId + " of account " + accountName + " holds "
              + Client.MAX_SECRETS + " secrets already: remove the oldest first");
        }
        if (client.secrets().stream().anyMatch(held -> held.id().equals(secret.id()))) {
          throw new DuplicateException("client " + clientId + " of account " + accountName + " has a secret "
              + secret.id() + " already");
        }
        var secrets = new ArrayList<>(client.secrets());
        secrets.add(kept(secret));
        clients.get(accountName).put(clientId, client.withSecrets(secrets));
      }
    }

    @Override
    public ClientSecret removeOldestClientSecret(String accountName, String clientId) {
      synchronized (InMemoryStores.this) {
        var client = existingClient(accountName, clientId);
        var secrets = client.secrets();
        if (secrets.size() < 2) {
          throw new ConflictException("client " + clientId + " of account " + accountName + " holds "
              + (secrets.isEmpty() ? "no secret" : "one secret only, which it keeps"));
        }
        clients.get(accountName).put(clientId, client.withSecrets(secrets.subList(1, secrets.size())));
        return secrets.get(0);
      }
    }

    @Override
    public void deleteClient(String accountName, String clientId) {
      synchronized (InMemoryStores.this) {
        existingClient(accountName, clientId);
        clients.get(accountName).remove(clientId);
        var account = accounts.get(accountName);
        var clientIds = new HashSet<>(account.clientIds());
        clientIds.remove(clientId);
        accounts.put(accountName, withClientIds(account, clientIds));
        // the refresh tokens go with the client; their families stay, as the JDBC store's ON DELETE CASCADE leaves them
        tokens.values().removeIf(token -> token.accountName().equals(accountName)
            && token.clientId().equals(clientId));
      }
    }

    private Client existingClient(String accountName, String clientId) {
      var client = clients.getOrDefault(accountName, Map.of()).get(clientId);
      if (client == null) {
        throw new NotFoundException("no client " + clientId + " in account " + accountName);
      }
      return client;
    }

    private static Account withClientIds(Account account, Set<String> clientIds) {
      return new Account(account.name(), clientIds, account.allowedScopes(), account.accessTokenLifetime(),
          account.refreshTokenLifetime(), account.refreshTokenAbsoluteLifetime(), account.requestsPerMinute(),
          account.anonymousRegistration(), account.signUp());
    }

    @Override
    public void updateSignUp(String accountName, SignUpPolicy policy) {
      synchronized (InMemoryStores.this) {
        var account = accounts.get(accountName);
        if (account == null) {
          throw new NotFoundException("no account " + accountName);
        }
        accounts.put(accountName, account.withSignUp(policy));
      }
    }

    @Override
    public List<Account> listAccounts() {
      synchronized (InMemoryStores.this) {
        return accounts.values().stream().sorted(Comparator.comparing(Account::name)).toList();
      }
    }

    @Override
    public boolean hasAccounts() {
      synchronized (InMemoryStores.this) {
        return !accounts.isEmpty();
      }
    }
  }

  private final class Users implements UserStore {
    @Override
    public Optional<User> findUser(String accountName, String username) {
      String key;
      try {
        key = Usernames.normalise(username);
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
      synchronized (InMemoryStores.this) {
        return find(user -> user.accountName().equals(accountName) && Usernames.normalise(user.username()).equals(key));
      }
    }

    @Override
    public Optional<User> findUserById(String accountName, String userId) {
      synchronized (InMemoryStores.this) {
        return find(user -> user.accountName().equals(accountName) && user.id().equals(userId));
      }
    }

    @Override
    public List<User> createUsers(String accountName, List<User> batch) {
      synchronized (InMemoryStores.this) {
        if (!accounts.containsKey(accountName)) {
          throw new NotFoundException("no account " + accountName);
        }
        var taken = new ArrayList<User>();
        for (var user : batch) {
          try {
            createUser(user);
          } catch (DuplicateException e) {
            taken.add(user);
          }
        }
        return taken;
      }
    }

    @Override
    public Map<String, User> findUsers(String accountName, Collection<String> usernames) {
      var found = new LinkedHashMap<String, User>();
      for (var username : usernames) {
        findUser(accountName, username).ifPresent(user -> found.put(Usernames.normalise(user.username()), user));
      }
      return found;
    }

    @Override
    public void createUser(User user) {
      createUser(user, List.of());
    }

    @Override
    public void createUser(User user, List<SecurityQuestion> userQuestions) {
      var key = Usernames.normalise(user.username());
      synchronized (InMemoryStores.this) {
        if (!accounts.containsKey(user.accountName())) {
          throw new NotFoundException("no account " + user.accountName());
        }
        var taken = users.containsKey(user.id()) || find(other -> other.accountName().equals(user.accountName())
            && Usernames.normalise(other.username()).equals(key)).isPresent();
        if (taken) {
          throw new DuplicateException("username " + user.username() + " is taken in account " + user.accountName());
        }
        users.put(user.id(), kept(user));
        if (!userQuestions.isEmpty()) {
          questions.put(user.id(), List.copyOf(userQuestions));
        }
      }
    }

    @Override
    public void updateUser(User user) {
      synchronized (InMemoryStores.this) {
        var stored = existing(user.accountName(), user.id());
        // only what the interface says may change: the hash and the two flags
        users.put(stored.id(), new User(stored.id(), stored.accountName(), stored.username(), user.passwordHash(),
            user.active(), user.verified(), stored.anonymous(), stored.createdAt(), stored.profile()));
      }
    }

    @Override
    public void updateProfile(String accountName, String userId, UserProfile profile) {
      synchronized (InMemoryStores.this) {
        users.put(userId, kept(existing(accountName, userId).withProfile(profile)));
      }
    }

    @Override
    public void updateDetails(String accountName, String userId, UserProfile profile) {
      synchronized (InMemoryStores.this) {
        var stored = existing(accountName, userId);
        users.put(userId, kept(stored.withProfile(stored.profile()
            .withNames(profile.firstName(), profile.lastName())
            .withContacts(profile.emailAddress(), profile.phoneNumber()))));
      }
    }

    @Override
    public boolean markVerified(String accountName, String userId) {
      synchronized (InMemoryStores.this) {
        var user = find(u -> u.accountName().equals(accountName) && u.id().equals(userId));
        if (user.isEmpty() || user.get().verified()) {
          return false;
        }
        users.put(userId, user.get().withVerified(true));
        return true;
      }
    }

    @Override
    public List<SecurityQuestion> securityQuestions(String accountName, String userId) {
      synchronized (InMemoryStores.this) {
        if (find(user -> user.accountName().equals(accountName) && user.id().equals(userId)).isEmpty()) {
          return List.of();
        }
        return questions.getOrDefault(userId, List.of());
      }
    }

    @Override
    public void replaceSecurityQuestions(String accountName, String userId, List<SecurityQuestion> userQuestions) {
      synchronized (InMemoryStores.this) {
        existing(accountName, userId);
        if (userQuestions.isEmpty()) {
          questions.remove(userId);
        } else {
          questions.put(userId, List.copyOf(userQuestions));
        }
      }
    }

    @Override
    public PasswordChange changePassword(String accountName, String userId, String expectedHash, String newHash,
        Optional<String> keptFamily, Instant now) {
      synchronized (InMemoryStores.this) {
        var user = find(u -> u.accountName().equals(accountName) && u.id().equals(userId));
        if (user.isEmpty() || !user.get().passwordHash().equals(Optional.of(expectedHash))) {
          return PasswordChange.STALE;
        }
        users.put(userId, user.get().withPasswordHash(newHash));
        tokens.values().stream()
            .filter(token -> token.accountName().equals(accountName) && token.userId().equals(userId))
            .map(RefreshTokenRecord::familyId)
            .filter(familyId -> !keptFamily.equals(Optional.of(familyId)))
            .distinct()
            .toList()
            .forEach(familyId -> revoke(familyId, now));
        return PasswordChange.CHANGED;
      }
    }

    @Override
    public boolean deleteUser(String accountName, String userId) {
      synchronized (InMemoryStores.this) {
        if (find(user -> user.accountName().equals(accountName) && user.id().equals(userId)).isEmpty()) {
          return false;
        }
        users.remove(userId);
        questions.remove(userId);
        // the refresh tokens go with the user; their families stay, as the JDBC store's ON DELETE CASCADE leaves them
        tokens.values().removeIf(token -> token.accountName().equals(accountName) && token.userId().equals(userId));
        return true;
      }
    }

    @Override
    public List<User> listUsers(String accountName) {
      synchronized (InMemoryStores.this) {
        return users.values().stream()
            .filter(user -> user.accountName().equals(accountName))
            .sorted(Comparator.comparing(user -> Usernames.normalise(user.username())))
            .toList();
      }
    }

    private Optional<User> find(Predicate<User> which) {
      return users.values().stream().filter(which).findFirst();
    }

    private User existing(String accountName, String userId) {
      return find(user -> user.accountName().equals(accountName) && user.id().equals(userId))
          .orElseThrow(() -> new NotFoundException("no user " + userId + " in account " + accountName));
    }

    private static User kept(User user) {
      var profile = user.profile();
      var roles = profile.roles().stream().map(role -> new UserProfile.Role(role.name(), millis(role.addedAt())))
          .toList();
      return new User(user.id(), user.accountName(), user.username(), user.passwordHash(), user.active(),
          user.verified(), user.anonymous(), millis(user.createdAt()),
          profile.withGrants(roles, profile.permissions()));
    }
  }

  private final class RefreshTokens implements RefreshTokenStore {
    @Override
    public void saveRefreshToken(RefreshTokenRecord token) {
      if (!token.isLive()) {
        throw new IllegalArgumentException("only a token just minted can be saved; rotation stores successors");
      }
      synchronized (InMemoryStores.this) {
        checkInsertable(token);
        families.putIfAbsent(token.familyId(), Optional.empty());
        insert(token);
      }
    }

    @Override
    public Optional<RefreshTokenRecord> findRefreshToken(String tokenHash) {
      synchronized (InMemoryStores.this) {
        return Optional.ofNullable(tokens.get(tokenHash)).map(token -> new RefreshTokenRecord(token.tokenHash(),
            token.familyId(), token.accountName(), token.clientId(), token.userId(), token.scope(), token.issuedAt(),
            token.expiresAt(), token.familyExpiresAt(), token.rotatedAt(),
            families.get(token.familyId()).isPresent()));
      }
    }

    @Override
    public RotationOutcome rotate(String presentedHash, Optional<RefreshTokenRecord> successor, Instant now,
        Duration graceWindow) {
      if (graceWindow.isNegative()) {
        throw new IllegalArgumentException("graceWindow must not be negative");
      }
      if (successor.isPresent() && !successor.get().isLive()) {
        throw new IllegalArgumentException("a successor must be a token just minted");
      }
      synchronized (InMemoryStores.this) {
        var token = tokens.get(presentedHash);
        if (token == null) {
          return RotationOutcome.NOT_FOUND;
        }
        if (successor.isPresent() && !successor.get().familyId().equals(token.familyId())) {
          throw new IllegalArgumentException("a successor must belong to the family of the token it replaces");
        }
        if (families.get(token.familyId()).isPresent()) {
          return RotationOutcome.REPLAYED;
        }
        if (token.rotatedAt().isEmpty()) {
          successor.ifPresent(this::checkInsertable);
          tokens.put(presentedHash, new RefreshTokenRecord(token.tokenHash(), token.familyId(), token.accountName(),
              token.clientId(), token.userId(), token.scope(), token.issuedAt(), token.expiresAt(),
              token.familyExpiresAt(), Optional.of(millis(now)), false));
          successor.ifPresent(this::insert);
          return RotationOutcome.ROTATED;
        }
        // the node that rotated it may have a clock ahead of this one: a rotation "in the future" was just now
        var sinceRotation = Duration.between(token.rotatedAt().get(), millis(now));
        if (sinceRotation.isNegative()) {
          sinceRotation = Duration.ZERO;
        }
        if (sinceRotation.compareTo(graceWindow) < 0) {
          successor.ifPresent(this::checkInsertable);
          successor.ifPresent(this::insert);
          return RotationOutcome.WITHIN_GRACE;
        }
        revoke(token.familyId(), now);
        return RotationOutcome.REPLAYED;
      }
    }

    @Override
    public void revokeFamily(String familyId, Instant now) {
      synchronized (InMemoryStores.this) {
        revoke(familyId, now);
      }
    }

    @Override
    public boolean isFamilyLive(String familyId) {
      synchronized (InMemoryStores.this) {
        return families.containsKey(familyId) && families.get(familyId).isEmpty();
      }
    }

    @Override
    public int purgeExpired(Instant now) {
      synchronized (InMemoryStores.this) {
        var at = millis(now);
        var spent = families.keySet().stream()
            .filter(familyId -> tokens.values().stream()
                .noneMatch(token -> token.familyId().equals(familyId) && token.expiresAt().isAfter(at)))
            .toList();
        spent.forEach(families::remove);
        tokens.values().removeIf(token -> spent.contains(token.familyId()));
        return spent.size();
      }
    }

    /** The token's hash is new and its foreign keys hold: its account's client, and a user of that account. */
    private void checkInsertable(RefreshTokenRecord token) {
      if (tokens.containsKey(token.tokenHash())) {
        throw constraint("a token with that hash exists");
      }
      var account = accounts.get(token.accountName());
      if (account == null || !account.hasClient(token.clientId())) {
        throw constraint("no client " + token.clientId() + " in account " + token.accountName());
      }
      var user = users.get(token.userId());
      if (user == null || !user.accountName().equals(token.accountName())) {
        throw constraint("no user " + token.userId() + " in account " + token.accountName());
      }
    }

    private void insert(RefreshTokenRecord token) {
      tokens.put(token.tokenHash(), new RefreshTokenRecord(token.tokenHash(), token.familyId(), token.accountName(),
          token.clientId(), token.userId(), token.scope(), millis(token.issuedAt()), millis(token.expiresAt()),
          millis(token.familyExpiresAt()), Optional.empty(), false));
    }
  }

  private void revoke(String familyId, Instant now) {
    if (families.containsKey(familyId) && families.get(familyId).isEmpty()) {
      families.put(familyId, Optional.of(millis(now)));
    }
  }

  private final class SigningKeys implements SigningKeyStore {
    @Override
    public void saveSigningKey(SigningKey key) {
      synchronized (InMemoryStores.this) {
        if (key.accountName().filter(name -> !accounts.containsKey(name)).isPresent()) {
          throw constraint("no account " + key.accountName().get());
        }
        if (keys.containsKey(key.kid())) {
          throw new DuplicateException("signing key " + key.kid() + " exists");
        }
        keys.put(key.kid(), new SigningKey(key.kid(), key.accountName(), key.algorithm(), key.privateJwk(),
            key.publicJwk(), millis(key.createdAt()), millis(key.retireAfter()), millis(key.notAfter())));
      }
    }

    @Override
    public List<SigningKey> activeSigningKeys(Optional<String> accountName, Instant now) {
      var at = millis(now);
      return list(accountName, key -> !key.createdAt().isAfter(at) && key.retireAfter().isAfter(at));
    }

    @Override
    public List<SigningKey> publishedSigningKeys(Optional<String> accountName, Instant now) {
      var at = millis(now);
      return list(accountName, key -> key.notAfter().isAfter(at));
    }

    @Override
    public void retireSigningKey(String kid, Instant retireAfter, Instant notAfter) {
      if (notAfter.isBefore(retireAfter)) {
        throw new IllegalArgumentException("a key must stay published (notAfter) at least until it retires");
      }
      synchronized (InMemoryStores.this) {
        var key = keys.get(kid);
        if (key == null) {
          throw new NotFoundException("no signing key " + kid);
        }
        keys.put(kid, new SigningKey(kid, key.accountName(), key.algorithm(), key.privateJwk(), key.publicJwk(),
            key.createdAt(), millis(retireAfter), millis(notAfter)));
      }
    }

    /** The keys of the account and of every account (of no account: only the latter), newest first. */
    private List<SigningKey> list(Optional<String> accountName, Predicate<SigningKey> which) {
      synchronized (InMemoryStores.this) {
        return keys.values().stream()
            .filter(key -> key.accountName().isEmpty() || key.accountName().equals(accountName))
            .filter(which)
            .sorted(Comparator.comparing(SigningKey::createdAt).thenComparing(SigningKey::kid).reversed())
            .toList();
      }
    }
  }
}
