package io.meshyauth.server.store.jdbc;

import io.meshyauth.server.store.Account;
import io.meshyauth.server.store.AccountStore;
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
import java.util.stream.Collectors;

final class JdbcAccountStore implements AccountStore {
  // one statement reads an account with its clients, so both come from one snapshot
  private static final String SELECT = """
      SELECT a.name, a.allowed_scopes, a.access_token_lifetime_ms, a.refresh_token_lifetime_ms,
             a.refresh_token_absolute_lifetime_ms, a.requests_per_minute, a.anonymous_registration,
             a.public_registration, a.verification, a.min_password_length, a.hide_unknown_users, c.client_id
      FROM accounts a LEFT JOIN clients c ON c.account_name = a.name
      """;

  /**
   * How long an account read stays fresh. Every token request needs its account (twice: for the account's request
   * limit and for the client check), and an account never changes but for a client added to it, so a second's
   * memory saves most reads. A client added on another node or by the CLI is accepted here within that second.
   */
  private static final long FRESH_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Database database;
  /** Accounts found, with when; never an absence, so unknown names sent by anyone cannot fill it. */
  private final Map<String, Found> recent = new ConcurrentHashMap<>();
  /**
   * Counts the clients this store added: an account read before one, even if stored after it, is not used, so that a
   * read racing an added client cannot bring the old account back. (A new account replaces no account read.)
   */
  private final AtomicLong writes = new AtomicLong();

  private record Found(Account account, long readAt, long writesBefore) {
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
  public void addClient(String accountName, String clientId) {
    try {
      addClientToStore(accountName, clientId);
    } finally {
      writes.incrementAndGet();
    }
  }

  private void addClientToStore(String accountName, String clientId) {
    database.write(connection -> {
      try (var statement = connection.prepareStatement("SELECT 1 FROM accounts WHERE name = ?")) {
        statement.setString(1, accountName);
        try (var rows = statement.executeQuery()) {
          if (!rows.next()) {
            throw new NotFoundException("no account " + accountName);
          }
        }
      }
      insertClient(connection, accountName, clientId);
      return null;
    });
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
    try (var statement = connection.prepareStatement("""
        INSERT INTO clients (account_name, client_id) VALUES (?, ?)
        ON CONFLICT (account_name, client_id) DO NOTHING
        """)) {
      statement.setString(1, accountName);
      statement.setString(2, clientId);
      if (statement.executeUpdate() == 0) {
        throw new DuplicateException("account " + accountName + " has client " + clientId + " already");
      }
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
