package io.meshyauth.server.store;

import static io.meshyauth.server.store.Fixtures.account;
import static io.meshyauth.server.store.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshyauth.server.values.Scope;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

abstract class AccountStoreContract extends StoreContract {

  @Test
  void createdAccountIsFoundWithItsClientsScopesLifetimesAndLimits() {
    var account = new Account(unique("acme"), Set.of("web", "mobile"), Scope.parse("meshy.api openid"),
        Duration.ofMinutes(5), Duration.ofDays(7), 120, true);

    stores().accounts().createAccount(account);

    assertThat(stores().accounts().findAccount(account.name())).contains(account);
  }

  @Test
  void anAccountsSignUpPolicyIsKeptAndReplacedWhole() {
    var policy = new SignUpPolicy(true, SignUpPolicy.Verification.QUESTION, 12, true);
    var account = account(unique("policy")).withSignUp(policy);

    stores().accounts().createAccount(account);
    var created = stores().accounts().findAccount(account.name()).orElseThrow();
    stores().accounts().updateSignUp(account.name(), SignUpPolicy.DEFAULT.withVerification(
        SignUpPolicy.Verification.TEXT));

    assertThat(created.signUp()).isEqualTo(policy);
    assertThat(stores().accounts().findAccount(account.name()).orElseThrow().signUp())
        .isEqualTo(new SignUpPolicy(false, SignUpPolicy.Verification.TEXT, 8, false));
    assertThatThrownBy(() -> stores().accounts().updateSignUp(unique("nobody"), policy))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void accountWithoutClientsIsFound() {
    var account = account(unique("bare"));

    stores().accounts().createAccount(account);

    assertThat(stores().accounts().findAccount(account.name())).contains(account);
  }

  @Test
  void unknownAccountIsNotFound() {
    assertThat(stores().accounts().findAccount(unique("nobody"))).isEmpty();
  }

  @Test
  void createAccountWhenTheNameIsTakenThrowsDuplicateAndKeepsTheFirst() {
    var first = account(unique("acme"), "first-client");
    stores().accounts().createAccount(first);

    assertThatThrownBy(() -> stores().accounts().createAccount(account(first.name(), "second-client")))
        .isInstanceOf(DuplicateException.class)
        .hasMessageContaining(first.name());
    assertThat(stores().accounts().findAccount(first.name())).contains(first);
  }

  @Test
  void addedClientBelongsToItsAccountOnly() {
    var acme = account(unique("acme"), "web");
    var other = account(unique("other"), "web");
    stores().accounts().createAccount(acme);
    stores().accounts().createAccount(other);
    // read before the change: a store that remembers accounts must forget this one when a client is added
    assertThat(stores().accounts().findAccount(acme.name()).orElseThrow().clientIds()).containsExactly("web");

    stores().accounts().addClient(acme.name(), "mobile");

    assertThat(stores().accounts().findAccount(acme.name()).orElseThrow().clientIds())
        .containsExactlyInAnyOrder("web", "mobile");
    assertThat(stores().accounts().findAccount(other.name()).orElseThrow().clientIds()).containsExactly("web");
  }

  @Test
  void addClientTwiceThrowsDuplicate() {
    var acme = account(unique("acme"), "web");
    stores().accounts().createAccount(acme);

    assertThatThrownBy(() -> stores().accounts().addClient(acme.name(), "web"))
        .isInstanceOf(DuplicateException.class);
  }

  @Test
  void addClientToUnknownAccountThrowsNotFound() {
    assertThatThrownBy(() -> stores().accounts().addClient(unique("nobody"), "web"))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void listAccountsGivesEveryAccountOrderedByName() {
    try (var stores = backend().newDatabase().open()) {
      stores.accounts().createAccount(account("zeta", "z"));
      stores.accounts().createAccount(account("Alpha", "a1", "a2"));
      stores.accounts().createAccount(account("beta"));

      assertThat(stores.accounts().listAccounts())
          .containsExactly(account("Alpha", "a1", "a2"), account("beta"), account("zeta", "z"));
    }
  }

  @Test
  void hasAccountsOnlyOnceOneIsCreated() {
    try (var stores = backend().newDatabase().open()) {
      assertThat(stores.accounts().hasAccounts()).isFalse();
      assertThat(stores.accounts().listAccounts()).isEmpty();

      stores.accounts().createAccount(account("acme", "web"));

      assertThat(stores.accounts().hasAccounts()).isTrue();
    }
  }
}
