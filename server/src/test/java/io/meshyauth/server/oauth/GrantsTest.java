package io.meshyauth.server.oauth;

import static io.meshyauth.server.oauth.GrantFixture.ACCOUNT;
import static io.meshyauth.server.oauth.GrantFixture.ADDRESS;
import static io.meshyauth.server.oauth.GrantFixture.CLIENT;
import static io.meshyauth.server.oauth.GrantFixture.OFFLINE;
import static io.meshyauth.server.oauth.GrantFixture.PASSWORD;
import static io.meshyauth.server.oauth.GrantFixture.USERNAME;
import static io.meshyauth.server.oauth.GrantFixture.form;
import static io.meshyauth.server.oauth.GrantFixture.passwordRequest;
import static io.meshyauth.server.oauth.GrantFixture.refreshRequest;
import static io.meshyauth.server.oauth.GrantFixture.scope;
import static io.meshyauth.server.testing.OAuthErrors.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.meshyauth.server.generated.model.TokenForm.GrantTypeEnum;
import io.meshyauth.server.values.Password;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The token endpoint's dispatch: each request to the handler of its grant, found by the grant's name. */
class GrantsTest {
  private final GrantFixture fixture = new GrantFixture();
  private final GrantFixture.Dispatch grants = fixture.grants();

  @Test
  void everyGrantOfTheDocumentHasItsHandlerAndNoOtherIsServed() {
    var served = Grants.of(fixture.context(), fixture.clients()).grantTypes();

    assertThat(served).containsExactly(Arrays.stream(GrantTypeEnum.values()).map(GrantTypeEnum::getValue)
        .toArray(String[]::new));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "password,           io.meshyauth.server.oauth.PasswordGrantHandler",
      "refresh_token,      io.meshyauth.server.oauth.RefreshTokenGrantHandler",
      "client_credentials, io.meshyauth.server.oauth.ClientCredentialsGrantHandler",
      "urn:ietf:params:oauth:grant-type:token-exchange, io.meshyauth.server.oauth.TokenExchangeGrantHandler",
      "urn:ietf:params:oauth:grant-type:device_code, io.meshyauth.server.oauth.DeviceCodeGrantHandler",
  })
  void aGrantsHandlerIsNamedAfterIt(String grantType, String handler) {
    assertThat(Grants.handlerName(grantType)).isEqualTo(handler);
  }

  @Test
  void aGrantTypeWithoutItsHandlerStopsTheStartAndSaysWhatToWrite() {
    assertThatThrownBy(() -> Grants.handlerOf("jwt_bearer", fixture.context()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("io.meshyauth.server.oauth.JwtBearerGrantHandler")
        .hasMessageContaining("GrantContext");
  }

  @Test
  void aPasswordRequestIsALoginThatStartsAFamily() {
    var tokens = grants.handle(passwordRequest(USERNAME, PASSWORD, OFFLINE));

    var stored = fixture.stored(tokens.refreshToken().orElseThrow());
    assertThat(stored.isLive()).isTrue();
    assertThat(stored.userId()).isEqualTo(fixture.alice.id());
  }

  @Test
  void aRefreshRequestRotatesItsToken() {
    var login = fixture.login(OFFLINE);

    var successor = grants.handle(refreshRequest(login, null)).refreshToken().orElseThrow();

    assertThat(fixture.stored(login).rotatedAt()).isPresent();
    assertThat(fixture.stored(successor).familyId()).isEqualTo(fixture.stored(login).familyId());
  }

  @ParameterizedTest(name = "[{0}]")
  @CsvSource({"implicit", "authorization_code", "PASSWORD"})
  void aGrantTypeNotInTheDocumentIsUnsupportedBeforeTheClientIsLookedAt(String grantType) {
    var call = new GrantFixture.Call("nowhere", ClientCredentials.publicClient("nobody"),
        form("grant_type", grantType));

    assertRefused(() -> grants.handle(call), "unsupported_grant_type", 400, "Grant type is invalid.",
        "grant type not in the document");
  }

  @Test
  void aPublicClientMayNotUseAGrantForConfidentialClients() {
    var call = new GrantFixture.Call(ACCOUNT, ClientCredentials.publicClient(CLIENT),
        form("grant_type", "client_credentials"));

    assertRefused(() -> grants.handle(call), "unauthorized_client", 400, "The client is not allowed this grant type.",
        "client_credentials is for confidential clients");
  }

  @Test
  void thePasswordIsWipedOnceTheGrantIsDecidedWhateverTheOutcome() {
    var handler = new PasswordGrantHandler(fixture.context());
    var client = fixture.client(ACCOUNT, CLIENT);
    for (var sent : Map.of(PASSWORD, true, "wrong", false).entrySet()) {
      var password = Password.of(sent.getKey());

      var failure = catchThrowable(() -> handler.handle(new PasswordGrant(client, USERNAME, password, scope(OFFLINE),
          ADDRESS)));

      assertThat(failure == null).as(sent.getKey()).isEqualTo(sent.getValue());
      assertThat(password.chars()).containsOnly('\0');
    }
  }
}
