package io.meshyauth.server.oauth;

import static io.meshyauth.server.oauth.GrantFixture.ACCOUNT;
import static io.meshyauth.server.oauth.GrantFixture.CLIENT;
import static io.meshyauth.server.oauth.GrantFixture.OFFLINE;
import static io.meshyauth.server.oauth.GrantFixture.refreshRequest;
import static io.meshyauth.server.testing.OAuthErrors.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshyauth.server.oauth.RevocationHandler.RevocationRequest;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 7009 over in-memory stores: revoking a refresh token ends its family, and only its own client may. */
class RevocationHandlerTest {
  private final GrantFixture fixture = new GrantFixture();
  private final RevocationHandler revocation = fixture.revocation();
  private final String login = fixture.login(OFFLINE);

  @Test
  void revokingARefreshTokenEndsItsWholeFamilyAndNoOther() {
    var second = fixture.refreshGrant().handle(refreshRequest(login, null)).refreshToken().orElseThrow();
    var otherLogin = fixture.login(OFFLINE);

    revocation.handle(request(ACCOUNT, second, null, CLIENT));

    assertThat(fixture.stored(login).familyRevoked()).isTrue();
    assertThat(fixture.stored(second).familyRevoked()).isTrue();
    assertThat(fixture.stored(otherLogin).familyRevoked()).isFalse();
    assertRefused(() -> fixture.refreshGrant().handle(refreshRequest(second, null)), "invalid_grant", 400,
        "Refresh token is invalid.", "refresh token family revoked");
  }

  /** "none" is a parameter the request leaves out. */
  @ParameterizedTest(name = "at {0} by client {1}, hint {2}: revoked {3}")
  @CsvSource(nullValues = "none", value = {
      "acme,   acme-web,    none,          true",
      "acme,   none,        none,          true",
      "acme,   acme-web,    refresh_token, true",
      // RFC 7009 section 2.1: a hint the server does not understand is ignored
      "acme,   acme-web,    id_token,      true",
      "acme,   acme-mobile, none,          false",
      "globex, none,        none,          false",
      "globex, globex-web,  refresh_token, false",
  })
  void onlyTheTokensAccountAndClientRevokeItAndEveryoneElseGetsTheSameSilence(String accountName, String clientId,
      String hint, boolean revoked) {
    revocation.handle(request(accountName, login, hint, clientId));

    assertThat(fixture.stored(login).familyRevoked()).isEqualTo(revoked);
  }

  @ParameterizedTest(name = "[{0}]")
  @CsvSource({"not-a-token", "''"})
  void anUnknownTokenIsAcceptedAndChangesNothing(String token) {
    revocation.handle(request(ACCOUNT, token, null, CLIENT));

    assertThat(fixture.stored(login).familyRevoked()).isFalse();
  }

  @Test
  void anAccessTokenHintIsUnsupportedTokenTypeAndRevokesNothing() {
    assertRefused(() -> revocation.handle(request(ACCOUNT, login, "access_token", CLIENT)), "unsupported_token_type",
        400, "Only refresh tokens can be revoked.", null);

    assertThat(fixture.stored(login).familyRevoked()).isFalse();
  }

  @ParameterizedTest(name = "client {1} at {0}")
  @CsvSource({
      "acme,    unknown-client, the account has no such client",
      "acme,    globex-web,     the account has no such client",
      "nowhere, acme-web,       no such account",
  })
  void aClientThatNamesItselfMustBeOfTheAccount(String accountName, String clientId, String detail) {
    assertRefused(() -> revocation.handle(request(accountName, login, null, clientId)), "invalid_client", 400,
        "Client id is invalid.", detail);

    assertThat(fixture.stored(login).familyRevoked()).isFalse();
  }

  private RevocationRequest request(String accountName, String token, String hint, String clientId) {
    return new RevocationRequest(fixture.stores.accounts().findAccount(accountName), accountName, token,
        Optional.ofNullable(hint), new ClientCredentials(Optional.ofNullable(clientId), Optional.empty(),
            ClientCredentials.Method.NONE), GrantFixture.ADDRESS);
  }
}
