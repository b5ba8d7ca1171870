package io.meshyauth.server.oauth;

import static io.meshyauth.server.oauth.GrantFixture.ACCOUNT;
import static io.meshyauth.server.oauth.GrantFixture.ADDRESS;
import static io.meshyauth.server.oauth.GrantFixture.CLIENT;
import static io.meshyauth.server.oauth.GrantFixture.OTHER_CLIENT;
import static io.meshyauth.server.testing.OAuthErrors.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshyauth.server.limit.RateLimitExceededException;
import io.meshyauth.server.store.Client;
import io.meshyauth.server.token.ClientSecrets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 6749 section 2.3: a public client is its client_id within its account; a confidential client proves it is
 * itself with one of its secrets. A request that presented no credentials keeps MeshyDB's 400; one that presented
 * some, or had to, gets section 5.2's 401.
 */
class ClientAuthenticatorTest {
  private static final String SERVICE = "acme-service";

  private final GrantFixture fixture = new GrantFixture();
  private final ClientAuthenticator clients = fixture.clients();
  private final ClientSecrets.NewSecret secret = ClientSecrets.newSecret(GrantFixture.T0);

  ClientAuthenticatorTest() {
    fixture.stores.accounts().createClient(new Client(ACCOUNT, SERVICE, true, Set.of("client_credentials"),
        Optional.empty(), List.of(secret.stored())));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {CLIENT, OTHER_CLIENT})
  void aPublicClientOfTheAccountIsAuthenticatedAsThatAccountByItsIdAlone(String clientId) {
    var client = authenticate(ACCOUNT, ClientCredentials.publicClient(clientId));

    assertThat(client.account().name()).isEqualTo(ACCOUNT);
    assertThat(client.confidential()).isFalse();
  }

  @ParameterizedTest(name = "client {1} at account {0}")
  @CsvSource({
      "nowhere, acme-web,       no such account",
      "ACME,    acme-web,       no such account",
      "acme,    unknown-client, the account has no such client",
      "acme,    ACME-WEB,       the account has no such client",
      "acme,    globex-web,     the account has no such client",
      "globex,  acme-web,       the account has no such client",
  })
  void anUnknownAccountAndAnUnknownClientGetTheSameInvalidClientButLogWhich(String accountName, String clientId,
      String detail) {
    assertRefused(() -> authenticate(accountName, ClientCredentials.publicClient(clientId)), "invalid_client", 400,
        "Client id is invalid.", detail);
    assertRefused(() -> authenticate(accountName, ClientCredentials.basic(clientId, "a secret")), "invalid_client",
        401, "Client authentication failed.", detail);
  }

  @Test
  void aConfidentialClientIsAuthenticatedByItsSecretInTheHeaderOrTheForm() {
    assertThat(authenticate(ACCOUNT, ClientCredentials.basic(SERVICE, secret.secret())).confidential()).isTrue();
    assertThat(authenticate(ACCOUNT, ClientCredentials.post(SERVICE, secret.secret())).clientId()).isEqualTo(SERVICE);
  }

  @Test
  void aConfidentialClientWithAWrongSecretOrNoneIsRefusedWith401() {
    assertRefused(() -> authenticate(ACCOUNT, ClientCredentials.basic(SERVICE, secret.secret() + "x")),
        "invalid_client", 401, "Client authentication failed.", "wrong client secret");
    assertRefused(() -> authenticate(ACCOUNT, ClientCredentials.publicClient(SERVICE)), "invalid_client", 401,
        "Client authentication failed.", "a confidential client sent no secret");
  }

  @Test
  void aPublicClientThatSendsASecretIsRefusedForItHasNone() {
    assertRefused(() -> authenticate(ACCOUNT, ClientCredentials.post(CLIENT, "made-up")), "invalid_client", 401,
        "Client authentication failed.", "a public client sent a secret");
  }

  @Test
  void wrongSecretsBeyondTheClientsBudgetFromOneAddressAreRefusedWithoutACheckAndTheRightOneThen() {
    for (int i = 0; i < 10; i++) {
      assertRefused(() -> authenticate(ACCOUNT, ClientCredentials.post(SERVICE, "wrong")), "invalid_client", 401,
          "Client authentication failed.", "wrong client secret");
    }

    assertThatThrownBy(() -> authenticate(ACCOUNT, ClientCredentials.post(SERVICE, secret.secret())))
        .isInstanceOfSatisfying(RateLimitExceededException.class, e -> assertThat(e.policy().name())
            .isEqualTo("failed-client-authentications-per-client-and-ip"));
    assertThat(authenticate(ACCOUNT, ClientCredentials.post(SERVICE, secret.secret()), "198.51.100.7").clientId())
        .as("from another address").isEqualTo(SERVICE);
  }

  private AuthenticatedClient authenticate(String accountName, ClientCredentials credentials) {
    return authenticate(accountName, credentials, ADDRESS);
  }

  private AuthenticatedClient authenticate(String accountName, ClientCredentials credentials, String address) {
    return clients.authenticate(fixture.stores.accounts().findAccount(accountName), credentials, address);
  }
}
