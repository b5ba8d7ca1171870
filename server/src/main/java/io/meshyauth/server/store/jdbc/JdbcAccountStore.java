package io.meshyauth.server.store.jdbc;

import io.meshyauth.server.store.Account;
import io.meshyauth.server.store.AccountStore;
import io.meshyauth.server.store.Client;
import io.meshyauth.server.store.ClientSecret;
import io.meshyauth.server.store.ConflictException;
import io.meshyauth.server.store.DuplicateException;
import io.meshyauth.server.store.NotFoundException;
import io.meshyauth.server.store.SignUpPolicy;
import io.meshyauth.server.store.SignUpPolicy.Verification;
import io.meshyauth.server.values.Scope;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;

final class JdbcAccountStore implements AccountStore {
  // one statement reads an account with its clients, so both come from one snapshot
  private static final String SELECT = """
      SELECT a.name, a.allowed_scopes, a.access_token_lifetime_ms, a.refresh_token_lifetime_ms,
             a.refresh_token_absolute_lifetime_ms, a.requests_per_minute, a.anonymous_registration,
             a.public_registration, a.verification, a.min_password_length, a.hide_unknown_users, c.client_id
      FROM accounts a LEFT JOIN clients c ON c.account_name = a.name
      """;

  // one statement reads clients with their secrets; joined from the account, so that an account without clients is
  // told from no account at all (listClients)
  private static final String SELECT_CLIENTS = """
      SELECT a.name, c.client_id, c.confidential, c.grant_types, c.scope, s.id, s.secret_hash, s.created_at
      FROM accounts a
      LEFT JOIN clients c ON c.account_name = a.name
      LEFT JOIN client_secrets s ON s.account_name = c.account_name AND s.client_id = c.client_id
      """;

  /**
   * How long an account or client read stays fresh. Every token request needs its account (twice: for the account's
   * request limit and for the client check), and an account rarely changes but for a client added or deleted, so a
   * second's memory saves most reads. A client added, deleted or given a secret on another node or by the CLI is seen
   * here within that second.
   */
  private static final long FRESH_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Database database;
  /** Accounts found, with when; never an absence, so unknown names sent by anyone cannot fill it. */
  private final Map<String, Found> recent = new ConcurrentHashMap<>();
  /**
   * Clients found, with when, for as long as accounts (every confidential client's token request reads its client to
   * check the secret); never an absence, as above. A secret removed or a client deleted elsewhere stops working here
   * within that second.
   */
  private final Map<ClientKey, FoundClient> recentClients = new ConcurrentHashMap<>();
  /**
   * Counts the changes this store made to accounts and clients: an account or client read before one, even if stored
   * after it, is not used, so that a read racing a change cannot bring the old one back. (A new account replaces no
   * account read.)
   */
  private final AtomicLong writes = new AtomicLong();

  private record Found(Account account, long readAt, long writesBefore) {
  }

  private record ClientKey(String accountName, String clientId) {
  }

  private record FoundClient(Client client, long readAt, long writesBefore) {
  }

  JdbcAccountStore(Database database) {
    this.database = database;
  }

  @Override
  public Optional<Account> findAccount(String name) {
    var found = recent.get(name);
    long now = System.nanoTime();
    long writesBefore = writes.get();
    if (found != null && now - found.readAt() < FRESH_NANOS && found.writesBefore() == writesBefore) {
      return Optional.of(found.account());
    }
    var account = read(name);
    account.ifPresentOrElse(read -> recent.put(name, new Found(read, now, writesBefore)), () -> recent.remove(name));
    return account;
  }

  private Optional<Account> read(String name) {
    return database.read(connection -> {
      try (var statement = connection.prepareStatement(SELECT + " WHERE a.name = ?")) {
        statement.setString(1, name);
        try (var rows = statement.executeQuery()) {
          return accounts(rows).stream().findFirst();
        }
      }
    });
  }

  @Override
  public void createAccount(Account account) {
    database.write(connection -> {
      try (var statement = connection.prepareStatement("""
          INSERT INTO accounts (name, allowed_scopes, access_token_lifetime_ms, refresh_token_lifetime_ms,
                                refresh_token_absolute_lifetime_ms, requests_per_minute, anonymous_registration,
                                public_registration, verification, min_password_length, hide_unknown_users)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (name) DO NOTHING
          """)) {
        statement.setString(1, account.name());
        statement.setString(2, account.allowedScopes().toString());
        statement.setLong(3, account.accessTokenLifetime().toMillis());
        statement.setLong(4, account.refreshTokenLifetime().toMillis());
        statement.setLong(5, account.refreshTokenAbsoluteLifetime().toMillis());
        statement.setLong(6, account.requestsPerMinute());
        statement.setBoolean(7, account.anonymousRegistration());
        var signUp = account.signUp();
        statement.setBoolean(8, signUp.publicRegistration());
        statement.setString(9, signUp.verification().key());
        statement.setInt(10, signUp.minPasswordLength());
        statement.setBoolean(11, signUp.hideUnknownUsers());
        if (statement.executeUpdate() == 0) {
          throw new DuplicateException("account " + account.name() + " exists");
        }
      }
      for (var clientId : account.clientIds()) {
        insertClient(connection, account.name(), clientId);
      }
      return null;
    });
  }

  @Override
  public void createClient(Client client) {
    changing(() -> database.write(connection -> {
      requireAccount(connection, client.accountName());
      insertClient(connection, client);
      for (var secret : client.secrets()) {
        insertSecret(connection, client.accountName(), client.clientId(), secret);
      }
      return null;
    }));
  }

  @Override
  public Optional<Client> findClient(String accountName, String clientId) {
    var key = new ClientKey(accountName, clientId);
    var found = recentClients.get(key);
    long now = System.nanoTime();
    long writesBefore = writes.get();
    if (found != null && now - found.readAt() < FRESH_NANOS && found.writesBefore() == writesBefore) {
      return Optional.of(found.client());
    }
    var client = readClient(accountName, clientId);
    client.ifPresentOrElse(read -> recentClients.put(key, new FoundClient(read, now, writesBefore)),
        () -> recentClients.remove(key));
    return client;
  }

  private Optional<Client> readClient(String accountName, String clientId) {
    return database.read(connection -> {
      try (var statement = connection.prepareStatement(SELECT_CLIENTS + " WHERE a.name = ? AND c.client_id = ?")) {
        statement.setString(1, accountName);
        statement.setString(2, clientId);
        try (var rows = statement.executeQuery()) {
          return clients(rows).flatMap(found -> found.stream().findFirst());
        }
      }
    });
  }

  @Override
  public List<Client> listClients(String accountName) {
    return database.read(connection -> {
      try (var statement = connection.prepareStatement(SELECT_CLIENTS + " WHERE a.name = ?")) {
        statement.setString(1, accountName);
        try (var rows = statement.executeQuery()) {
          return clients(rows).orElseThrow(() -> new NotFoundException("no account " + accountName));
        }
      }
    });
  }

  @Override
  public void addClientSecret(String accountName, String clientId, ClientSecret secret) {
    changing(() -> database.write(connection -> {
      if (!lockClient(connection, accountName, clientId)) {
        throw new ConflictException("client " + clientId + " of account " + accountName
            + " is public: it has no secrets");
      }
      // counted after the lock: sees every add to this client committed before this one
      if (secretCount(connection, accountName, clientId) >= Client.MAX_SECRETS) {
        throw new ConflictException("client " + clientId + " of account " + accountName + " holds "
            + Client.MAX_SECRETS + " secrets already: remove the oldest first");
      }
      insertSecret(connection, accountName, clientId, secret);
      return null;
    }));
  }

  @Override
  public ClientSecret removeOldestClientSecret(String accountName, String clientId) {
    return changing(() -> database.write(connection -> {
      lockClient(connection, accountName, clientId);
      var secrets = readClientIn(connection, accountName, clientId).secrets();
      if (secrets.size() < 2) {
        throw new ConflictException("client " + clientId + " of account " + accountName + " holds "
            + (secrets.isEmpty() ? "no secret" : "one secret only, which it keeps"));
      }
      var oldest = secrets.get(0);
      try (var statement = connection.prepareStatement(
          "DELETE FROM client_secrets WHERE account_name = ? AND client_id = ? AND id = ?")) {
        statement.setString(1, accountName);
        statement.setString(2, clientId);
        statement.setString(3, oldest.id());
        statement.executeUpdate();
      }
      return oldest;
    }));
  }

  @Override
  public void deleteClient(String accountName, String clientId) {
    changing(() -> database.write(connection -> {
      // its secrets and refresh tokens go with it: ON DELETE CASCADE
      try (var statement = connection.prepareStatement(
          "DELETE FROM clients WHERE account_name = ? AND client_id = ?")) {
        statement.setString(1, accountName);
        statement.setString(2, clientId);
        if (statement.executeUpdate() == 0) {
          throw noClient(accountName, clientId);
        }
      }
      return null;
    }));
  }

  /** Runs a change of an account or client; whatever comes of it, what this node remembers is not used again. */
  private <T> T changing(Supplier<T> change) {
    try {
      return change.get();
    } finally {
      writes.incrementAndGet();
    }
  }

  /**
   * Locks the client's row (on PostgreSQL until commit, so that changes of its secrets run in turn; SQLite's
   * transaction holds the write lock from its start) and answers whether it is confidential:
   * {@link NotFoundException} when there is no such client.
   */
  private static boolean lockClient(Connection connection, String accountName, String clientId)
      throws SQLException {
    try (var statement = connection.prepareStatement("""
        UPDATE clients SET confidential = confidential WHERE account_name = ? AND client_id = ?
        RETURNING confidential
        """)) {
      statement.setString(1, accountName);
      statement.setString(2, clientId);
      try (var rows = statement.executeQuery()) {
        if (!rows.next()) {
          throw noClient(accountName, clientId);
        }
        return rows.getBoolean("confidential");
      }
    }
  }

  private static int secretCount(Connection connection, String accountName, String clientId) throws SQLException {
    try (var statement = connection.prepareStatement(
        "SELECT COUNT(*) FROM client_secrets WHERE account_name = ? AND client_id = ?")) {
      statement.setString(1, accountName);
      statement.setString(2, clientId);
      try (var rows = statement.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }

  private static Client readClientIn(Connection connection, String accountName, String clientId)
      throws SQLException {
    try (var statement = connection.prepareStatement(SELECT_CLIENTS + " WHERE a.name = ? AND c.client_id = ?")) {
      statement.setString(1, accountName);
      statement.setString(2, clientId);
      try (var rows = statement.executeQuery()) {
        return clients(rows).flatMap(found -> found.stream().findFirst())
            .orElseThrow(() -> noClient(accountName, clientId));
      }
    }
  }

  private static void requireAccount(Connection connection, String accountName) throws SQLException {
    try (var statement = connection.prepareStatement("SELECT 1 FROM accounts WHERE name = ?")) {
      statement.setString(1, accountName);
      try (var rows = statement.executeQuery()) {
        if (!rows.next()) {
          throw new NotFoundException("no account " + accountName);
        }
      }
    }
  }

  private static NotFoundException noClient(String accountName, String clientId) {
    return new NotFoundException("no client " + clientId + " in account " + accountName);
  }

  @Override
  public void updateSignUp(String accountName, SignUpPolicy policy) {
    try {
      database.write(connection -> {
        try (var statement = connection.prepareStatement("""
            UPDATE accounts SET public_registration = ?, verification = ?, min_password_length = ?,
                                hide_unknown_users = ?
            WHERE name = ?
            """)) {
          statement.setBoolean(1, policy.publicRegistration());
          statement.setString(2, policy.verification().key());
          statement.setInt(3, policy.minPasswordLength());
          statement.setBoolean(4, policy.hideUnknownUsers());
          statement.setString(5, accountName);
          if (statement.executeUpdate() == 0) {
            throw new NotFoundException("no account " + accountName);
          }
        }
        return null;
      });
    } finally {
      writes.incrementAndGet();
    }
  }

  @Override
  public List<Account> listAccounts() {
    return database.read(connection -> {
      try (var statement = connection.prepareStatement(SELECT); var rows = statement.executeQuery()) {
        var accounts = accounts(rows);
        // ordered here rather than in SQL: the databases' collations order text differently
        accounts.sort(Comparator.comparing(Account::name));
        return accounts;
      }
    });
  }

  @Override
  public boolean hasAccounts() {
    return database.read(connection -> {
      try (var statement = connection.prepareStatement("SELECT 1 FROM accounts LIMIT 1");
          var rows = statement.executeQuery()) {
        return rows.next();
      }
    });
  }

  private static void insertClient(Connection connection, String accountName, String clientId)
      throws SQLException {
    insertClient(connection, Client.publicClient(accountName, clientId));
  }

  private static void insertClient(Connection connection, Client client) throws SQLException {
    try (var statement = connection.prepareStatement("""
        INSERT INTO clients (account_name, client_id, confidential, grant_types, scope) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (account_name, client_id) DO NOTHING
        """)) {
      statement.setString(1, client.accountName());
      statement.setString(2, client.clientId());
      statement.setBoolean(3, client.confidential());
      Rows.setOptionalString(statement, 4, client.grantTypes().isEmpty() ? Optional.empty()
          : Optional.of(String.join(" ", new TreeSet<>(client.grantTypes()))));
      Rows.setOptionalString(statement, 5, client.scope().map(Scope::toString));
      if (statement.executeUpdate() == 0) {
        throw new DuplicateException("account " + client.accountName() + " has client " + client.clientId()
            + " already");
      }
    }
  }

  private static void insertSecret(Connection connection, String accountName, String clientId, ClientSecret secret)
      throws SQLException {
    try (var statement = connection.prepareStatement("""
        INSERT INTO client_secrets (account_name, client_id, id, secret_hash, created_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (account_name, client_id, id) DO NOTHING
        """)) {
      statement.setString(1, accountName);
      statement.setString(2, clientId);
      statement.setString(3, secret.id());
      statement.setString(4, secret.hash());
      statement.setLong(5, Rows.millis(secret.createdAt()));
      if (statement.executeUpdate() == 0) {
        throw new DuplicateException("client " + clientId + " of account " + accountName + " has a secret "
            + secret.id() + " already");
      }
    }
  }

  /**
   * Folds the rows of the clients' join, one per client and secret, into the clients ordered by id; a row without a
   * client (an account that has none) adds none. Empty when there is no row at all: no such account.
   */
  private static Optional<List<Client>> clients(ResultSet rows) throws SQLException {
    boolean anyRow = false;
    var columns = new LinkedHashMap<String, ClientColumns>();
    while (rows.next()) {
      anyRow = true;
      var clientId = rows.getString("client_id");
      if (clientId == null) {
        continue;
      }
      var client = columns.get(clientId);
      if (client == null) {
        client = new ClientColumns(rows.getString("name"), clientId, rows.getBoolean("confidential"),
            words(rows.getString("grant_types")), Rows.optionalString(rows, "scope").map(Scope::parse),
            new ArrayList<>());
        columns.put(clientId, client);
      }
      var secretId = rows.getString("id");
      if (secretId != null) {
        client.secrets().add(new ClientSecret(secretId, rows.getString("secret_hash"),
            Rows.instant(rows, "created_at")));
      }
    }
    if (!anyRow) {
      return Optional.empty();
    }
    // ordered here rather than in SQL: the databases' collations order text differently
    return Optional.of(columns.values().stream().map(ClientColumns::toClient)
        .sorted(Comparator.comparing(Client::clientId)).toList());
  }

  /** The words of a space-delimited column; none for NULL. */
  private static Set<String> words(String spaceDelimited) {
    return spaceDelimited == null ? Set.of()
        : Arrays.stream(spaceDelimited.split(" ")).filter(word -> !word.isEmpty()).collect(Collectors.toSet());
  }

  private record ClientColumns(String accountName, String clientId, boolean confidential, Set<String> grantTypes,
      Optional<Scope> scope, List<ClientSecret> secrets) {
    Client toClient() {
      return new Client(accountName, clientId, confidential, grantTypes, scope, secrets);
    }
  }

  /** Folds the rows of the join, one per client, into accounts. */
  private static List<Account> accounts(ResultSet rows) throws SQLException {
    var columns = new LinkedHashMap<String, AccountColumns>();
    while (rows.next()) {
      var name = rows.getString("name");
      var account = columns.get(name);
      if (account == null) {
        account = new AccountColumns(name, Scope.parse(rows.getString("allowed_scopes")),
            Duration.ofMillis(rows.getLong("access_token_lifetime_ms")),
            Duration.ofMillis(rows.getLong("refresh_token_lifetime_ms")),
            Duration.ofMillis(rows.getLong("refresh_token_absolute_lifetime_ms")), rows.getLong("requests_per_minute"),
            rows.getBoolean("anonymous_registration"), new SignUpPolicy(rows.getBoolean("public_registration"),
                Verification.of(rows.getString("verification")), rows.getInt("min_password_length"),
                rows.getBoolean("hide_unknown_users")), new TreeSet<>());
        columns.put(name, account);
      }
      var clientId = rows.getString("client_id");
      if (clientId != null) {
        account.clientIds().add(clientId);
      }
    }
    return columns.values().stream().map(AccountColumns::toAccount).collect(Collectors.toCollection(ArrayList::new));
  }

  private record AccountColumns(String name, Scope allowedScopes, Duration accessTokenLifetime,
      Duration refreshTokenLifetime, Duration refreshTokenAbsoluteLifetime, long requestsPerMinute,
      boolean anonymousRegistration, SignUpPolicy signUp, Set<String> clientIds) {
    Account toAccount() {
      return new Account(name, clientIds, allowedScopes, accessTokenLifetime, refreshTokenLifetime,
          refreshTokenAbsoluteLifetime, requestsPerMinute, anonymousRegistration, signUp);
    }
  }
}
