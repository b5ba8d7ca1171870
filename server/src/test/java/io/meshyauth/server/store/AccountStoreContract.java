package io.meshyauth.server.store;

import static io.meshyauth.server.store.Fixtures.T0;
import static io.meshyauth.server.store.Fixtures.account;
import static io.meshyauth.server.store.Fixtures.createUser;
import static io.meshyauth.server.store.Fixtures.token;
import static io.meshyauth.server.store.Fixtures.tokenHash;
import static io.meshyauth.server.store.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshyauth.server.values.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

  @Test
  void createdConfidentialClientIsFoundWithItsGrantsScopeAndSecretAndCountsAmongTheAccountsClients() {
    var account = account(unique("acme"), "web");
    stores().accounts().createAccount(account);
    var client = confidential(account.name(), "billing", secret(T0));

    stores().accounts().createClient(client);

    assertThat(stores().accounts().findClient(account.name(), "billing")).contains(client);
    assertThat(stores().accounts().findClient(account.name(), "web"))
        .contains(Client.publicClient(account.name(), "web"));
    assertThat(stores().accounts().findAccount(account.name()).orElseThrow().clientIds())
        .containsExactlyInAnyOrder("web", "billing");
  }

  @Test
  void aConfidentialClientWithoutAScopeOfItsOwnKeepsNone() {
    var account = account(unique("acme"));
    stores().accounts().createAccount(account);
    var client = new Client(account.name(), "reports", true, Set.of("client_credentials", "password"),
        Optional.empty(), List.of(secret(T0)));

    stores().accounts().createClient(client);

    assertThat(stores().accounts().findClient(account.name(), "reports")).contains(client);
  }

  @Test
  void unknownClientOrAccountIsNotFound() {
    var account = account(unique("acme"), "web");
    stores().accounts().createAccount(account);

    assertThat(stores().accounts().findClient(account.name(), "mobile")).isEmpty();
    assertThat(stores().accounts().findClient(unique("nobody"), "web")).isEmpty();
  }

  @Test
  void createClientTwiceThrowsDuplicateAndKeepsTheFirst() {
    var account = account(unique("acme"), "web");
    stores().accounts().createAccount(account);
    var client = confidential(account.name(), "billing", secret(T0));
    stores().accounts().createClient(client);

    assertThatThrownBy(() -> stores().accounts().createClient(confidential(account.name(), "billing",
        secret(T0.plusSeconds(1))))).isInstanceOf(DuplicateException.class).hasMessageContaining("billing");
    assertThatThrownBy(() -> stores().accounts().createClient(confidential(account.name(), "web", secret(T0))))
        .isInstanceOf(DuplicateException.class);
    assertThat(stores().accounts().findClient(account.name(), "billing")).contains(client);
    assertThat(stores().accounts().findClient(account.name(), "web"))
        .contains(Client.publicClient(account.name(), "web"));
  }

  @Test
  void createClientInUnknownAccountThrowsNotFound() {
    var nobody = unique("nobody");

    assertThatThrownBy(() -> stores().accounts().createClient(confidential(nobody, "billing", secret(T0))))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void listClientsGivesEveryClientOfTheAccountOrderedById() {
    var account = account(unique("acme"), "web", "Mobile");
    var other = account(unique("other"), "other-web");
    stores().accounts().createAccount(account);
    stores().accounts().createAccount(other);
    var billing = confidential(account.name(), "billing", secret(T0));
    stores().accounts().createClient(billing);
    stores().accounts().addClient(account.name(), "zeta");

    assertThat(stores().accounts().listClients(account.name())).containsExactly(
        Client.publicClient(account.name(), "Mobile"), billing, Client.publicClient(account.name(), "web"),
        Client.publicClient(account.name(), "zeta"));
  }

  @Test
  void listClientsOfAnAccountWithoutClientsIsEmptyAndOfNoAccountThrowsNotFound() {
    var account = account(unique("bare"));
    stores().accounts().createAccount(account);

    assertThat(stores().accounts().listClients(account.name())).isEmpty();
    assertThatThrownBy(() -> stores().accounts().listClients(unique("nobody")))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void aSecondSecretIsAddedAndAThirdIsRefused() {
    var client = createConfidential(secret(T0));
    // read before the change: a store that remembers clients must forget this one when a secret is added
    assertThat(stores().accounts().findClient(client.accountName(), client.clientId()).orElseThrow().secrets())
        .hasSize(1);
    var second = secret(T0.plusSeconds(60));

    stores().accounts().addClientSecret(client.accountName(), client.clientId(), second);

    assertThat(stores().accounts().findClient(client.accountName(), client.clientId()).orElseThrow().secrets())
        .containsExactly(client.secrets().get(0), second);
    assertThatThrownBy(() -> stores().accounts().addClientSecret(client.accountName(), client.clientId(),
        secret(T0.plusSeconds(120)))).isInstanceOf(ConflictException.class)
        .hasMessageContaining(Integer.toString(Client.MAX_SECRETS));
    assertThat(stores().accounts().findClient(client.accountName(), client.clientId()).orElseThrow().secrets())
        .containsExactly(client.secrets().get(0), second);
  }

  @Test
  void removingTheOldestSecretKeepsTheNewerOne() {
    var oldest = secret(T0);
    var newer = secret(T0.plusSeconds(60));
    // created newest first: the oldest is the oldest by date, not by the order it was given
    var client = createConfidential(newer, oldest);

    var removed = stores().accounts().removeOldestClientSecret(client.accountName(), client.clientId());

    assertThat(removed).isEqualTo(oldest);
    assertThat(stores().accounts().findClient(client.accountName(), client.clientId()).orElseThrow().secrets())
        .containsExactly(newer);
  }

  @Test
  void theLastSecretIsNotRemoved() {
    var only = secret(T0);
    var client = createConfidential(only);

    assertThatThrownBy(() -> stores().accounts().removeOldestClientSecret(client.accountName(), client.clientId()))
        .isInstanceOf(ConflictException.class);
    assertThat(stores().accounts().findClient(client.accountName(), client.clientId()).orElseThrow().secrets())
        .containsExactly(only);
  }

  @Test
  void secretsOfAnUnknownClientThrowNotFound() {
    var account = account(unique("acme"), "web");
    stores().accounts().createAccount(account);

    assertThatThrownBy(() -> stores().accounts().addClientSecret(account.name(), "billing", secret(T0)))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> stores().accounts().removeOldestClientSecret(account.name(), "billing"))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> stores().accounts().addClientSecret(unique("nobody"), "web", secret(T0)))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void aPublicClientRefusesASecret() {
    var account = account(unique("acme"), "web");
    stores().accounts().createAccount(account);

    assertThatThrownBy(() -> stores().accounts().addClientSecret(account.name(), "web", secret(T0)))
        .isInstanceOf(ConflictException.class).hasMessageContaining("public");
    assertThatThrownBy(() -> stores().accounts().removeOldestClientSecret(account.name(), "web"))
        .isInstanceOf(ConflictException.class);
    assertThat(stores().accounts().findClient(account.name(), "web"))
        .contains(Client.publicClient(account.name(), "web"));
  }

  /** However many adds race on a client of one secret, exactly one gets in: a client never holds three. */
  @Test
  void concurrentAddsToAClientOfOneSecretLeaveItTwo() throws Exception {
    var client = createConfidential(secret(T0));
    int threads = 8;
    var start = new CountDownLatch(1);
    var executor = Executors.newFixedThreadPool(threads);
    var added = new ArrayList<ClientSecret>();
    var futures = new ArrayList<Future<?>>();
    try {
      for (int i = 0; i < threads; i++) {
        var secret = secret(T0.plusSeconds(1 + i));
        added.add(secret);
        futures.add(executor.submit(() -> {
          start.await();
          stores().accounts().addClientSecret(client.accountName(), client.clientId(), secret);
          return null;
        }));
      }
      start.countDown();
      int succeeded = 0;
      for (var future : futures) {
        try {
          future.get();
          succeeded++;
        } catch (ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(ConflictException.class);
        }
      }
      assertThat(succeeded).isEqualTo(1);
    } finally {
      executor.shutdownNow();
    }

    var secrets = stores().accounts().findClient(client.accountName(), client.clientId()).orElseThrow().secrets();
    assertThat(secrets).hasSize(2);
    assertThat(secrets.get(0)).isEqualTo(client.secrets().get(0));
    assertThat(added).contains(secrets.get(1));
  }

  @Test
  void deletingAClientDeletesItsSecretsAndRefreshTokensAndNothingOfOtherClients() {
    var account = account(unique("acme"), "web");
    stores().accounts().createAccount(account);
    stores().accounts().createClient(confidential(account.name(), "billing", secret(T0)));
    var user = createUser(stores(), account);
    var ofBilling = token(user, "billing", UUID.randomUUID().toString(), T0);
    var ofWeb = token(user, "web", UUID.randomUUID().toString(), T0);
    stores().refreshTokens().saveRefreshToken(ofBilling);
    stores().refreshTokens().saveRefreshToken(ofWeb);
    // read before the change: a store that remembers must forget the client and the account's list of clients
    assertThat(stores().accounts().findClient(account.name(), "billing")).isPresent();
    assertThat(stores().accounts().findAccount(account.name()).orElseThrow().clientIds()).contains("billing");

    stores().accounts().deleteClient(account.name(), "billing");

    assertThat(stores().accounts().findClient(account.name(), "billing")).isEmpty();
    assertThat(stores().accounts().findAccount(account.name()).orElseThrow().clientIds()).containsExactly("web");
    assertThat(stores().refreshTokens().findRefreshToken(ofBilling.tokenHash())).isEmpty();
    assertThat(stores().refreshTokens().findRefreshToken(ofWeb.tokenHash())).isPresent();
    // a client of that id again starts afresh: no secret of the one deleted comes back
    var again = confidential(account.name(), "billing", secret(T0.plusSeconds(60)));
    stores().accounts().createClient(again);
    assertThat(stores().accounts().findClient(account.name(), "billing")).contains(again);
  }

  @Test
  void deletingAnUnknownClientThrowsNotFound() {
    var account = account(unique("acme"), "web");
    stores().accounts().createAccount(account);

    assertThatThrownBy(() -> stores().accounts().deleteClient(account.name(), "billing"))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> stores().accounts().deleteClient(unique("nobody"), "web"))
        .isInstanceOf(NotFoundException.class);
  }

  /** A new account with a confidential client holding {@code secrets}, stored. */
  private Client createConfidential(ClientSecret... secrets) {
    var account = account(unique("acme"));
    stores().accounts().createAccount(account);
    var client = confidential(account.name(), unique("service"), secrets);
    stores().accounts().createClient(client);
    return stores().accounts().findClient(account.name(), client.clientId()).orElseThrow();
  }

  private static Client confidential(String accountName, String clientId, ClientSecret... secrets) {
    return new Client(accountName, clientId, true, Set.of("client_credentials"), Optional.of(Scope.parse("meshy.api")),
        List.of(secrets));
  }

  /** A secret as stored, made at {@code createdAt}: an id and a hash (any 64 hex digits do here). */
  private static ClientSecret secret(Instant createdAt) {
    return new ClientSecret(UUID.randomUUID().toString().substring(0, 8), tokenHash(), createdAt);
  }
}
