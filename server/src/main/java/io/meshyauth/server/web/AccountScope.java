package io.meshyauth.server.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.meshyauth.server.limit.AccountRequestLimiter;
import io.meshyauth.server.store.Account;
import io.meshyauth.server.store.AccountStore;
import java.util.List;
import java.util.Optional;

/**
 * Which account a request to {@code /{accountName}/connect/*}, {@code users}, {@code roles} or {@code permissibles}
 * is for: found once,
 * before its route runs, and charged to the account's request limit (MeshyDB's "API limit") there, so that no
 * endpoint looks it up or takes from the limit by hand. An unknown account is found absent and charged nothing;
 * each endpoint answers it as its contract says. Discovery and the JWK set are left out: they are served from
 * memory while the store is down, and a lookup here would make them wait for it.
 */
public final class AccountScope {
  private static final String ATTRIBUTE = AccountScope.class.getName();
  private static final String ACCOUNT_NAME = "accountName";

  private final AccountStore accounts;
  private final AccountRequestLimiter limiter;

  public AccountScope(AccountStore accounts, AccountRequestLimiter limiter) {
    this.accounts = accounts;
    this.limiter = limiter;
  }

  /** Before the routes of the paths above that exist (a 404 is charged to no account). */
  public void register(RoutesConfig routes) {
    routes.beforeMatched("/{" + ACCOUNT_NAME + "}/connect/*", this::resolve);
    for (var path : List.of("/users", "/users/*", "/roles", "/roles/*", "/permissibles")) {
      routes.beforeMatched("/{" + ACCOUNT_NAME + "}" + path, this::resolve);
    }
  }

  private void resolve(Context ctx) {
    if (ctx.attribute(ATTRIBUTE) != null) {
      return; // found by an earlier pattern that matched the path too: charged once
    }
    var account = accounts.findAccount(ctx.pathParam(ACCOUNT_NAME));
    account.ifPresent(limiter::acquire);
    ctx.attribute(ATTRIBUTE, account);
  }

  /** The request's account as found before its route; empty when there is no such account. */
  public static Optional<Account> of(Context ctx) {
    Optional<Account> found = ctx.attribute(ATTRIBUTE);
    if (found == null) {
      throw new IllegalStateException("no account was resolved for " + ctx.path());
    }
    return found;
  }
}
