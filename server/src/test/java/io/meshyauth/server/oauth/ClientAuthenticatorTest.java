package io.meshyauth.server.oauth;

import static io.meshyauth.server.oauth.GrantFixture.ACCOUNT;
import static io.meshyauth.server.oauth.GrantFixture.CLIENT;
import static io.meshyauth.server.oauth.GrantFixture.OTHER_CLIENT;
import static io.meshyauth.server.testing.OAuthErrors.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 6749 section 2.1: a public client is its client_id within its account, nothing more. */
class ClientAuthenticatorTest {
  private final GrantFixture fixture = new GrantFixture();
  private final ClientAuthenticator clients = fixture.clients();

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {CLIENT, OTHER_CLIENT})
  void aClientOfTheAccountIsAuthenticatedAsThatAccount(String clientId) {
    assertThat(clients.authenticate(ACCOUNT, clientId)).isEqualTo(fixture.account);
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
    assertRefused(() -> clients.authenticate(accountName, clientId), "invalid_client", 400, "Client id is invalid.",
        detail);
  }
}
