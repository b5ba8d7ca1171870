package io.meshyauth.server.oauth;

import static io.meshyauth.server.oauth.GrantFixture.ACCOUNT;
import static io.meshyauth.server.oauth.GrantFixture.ADDRESS;
import static io.meshyauth.server.oauth.GrantFixture.OFFLINE;
import static io.meshyauth.server.oauth.GrantFixture.PASSWORD;
import static io.meshyauth.server.oauth.GrantFixture.USERNAME;
import static io.meshyauth.server.oauth.GrantFixture.passwordRequest;
import static io.meshyauth.server.oauth.GrantFixture.refreshRequest;
import static io.meshyauth.server.oauth.GrantFixture.scope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.meshyauth.server.values.Password;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The token endpoint's dispatch: each request to the handler of its grant, and no password kept after it. */
class GrantsTest {
  private final GrantFixture fixture = new GrantFixture();
  private final Grants grants = fixture.grants();

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

  @ParameterizedTest(name = "{1} from {0}: granted {2}")
  @CsvSource({
      "acme-web,       correct horse battery staple, true",
      "acme-web,       wrong,                        false",
      "unknown-client, correct horse battery staple, false",
  })
  void thePasswordIsWipedOnceTheGrantIsDecidedWhateverTheOutcome(String clientId, String sent, boolean granted) {
    var password = Password.of(sent);
    var request = new TokenRequest.PasswordGrant(ACCOUNT, clientId, USERNAME, password, scope(OFFLINE), ADDRESS);

    var failure = catchThrowable(() -> grants.handle(request));

    assertThat(failure == null).isEqualTo(granted);
    assertThat(password.chars()).containsOnly('\0');
  }
}
