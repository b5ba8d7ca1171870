package io.meshyauth.server.oauth;

import static io.meshyauth.server.oauth.GrantFixture.ACCESS_LIFETIME;
import static io.meshyauth.server.oauth.GrantFixture.ACCOUNT;
import static io.meshyauth.server.oauth.GrantFixture.CLIENT;
import static io.meshyauth.server.oauth.GrantFixture.T0;
import static io.meshyauth.server.oauth.GrantFixture.form;
import static io.meshyauth.server.testing.OAuthErrors.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import io.meshyauth.server.store.Client;
import io.meshyauth.server.token.AccessTokenVerifier;
import io.meshyauth.server.token.ClientSecrets;
import io.meshyauth.server.values.Scope;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RFC 6749 section 4.4, as the token endpoint reaches it: a confidential client allowed the grant gets a token whose
 * subject is itself, with no user's claims, no refresh token and no ID token, its scope what the client may have.
 */
class ClientCredentialsGrantHandlerTest {
  private static final String SERVICE = "acme-service";
  private static final String NARROW = "acme-narrow-service";
  private static final String LOGIN_ONLY = "acme-backend";

  private final GrantFixture fixture = new GrantFixture();
  private final GrantFixture.Dispatch grants = fixture.grants();
  private final ClientSecrets.NewSecret secret = ClientSecrets.newSecret(T0);
  private final AccessTokenVerifier verifier = new AccessTokenVerifier(fixture.keys, fixture.issuer, fixture.clock,
      TokenMinter.AUDIENCE);

  ClientCredentialsGrantHandlerTest() {
    var accounts = fixture.stores.accounts();
    accounts.createClient(confidential(SERVICE, Set.of("client_credentials"), Optional.empty()));
    accounts.createClient(confidential(NARROW, Set.of("client_credentials"), Optional.of(Scope.parse("meshy.api"))));
    accounts.createClient(confidential(LOGIN_ONLY, Set.of("password", "refresh_token"), Optional.empty()));
  }

  private Client confidential(String clientId, Set<String> grants, Optional<Scope> scope) {
    return new Client(ACCOUNT, clientId, true, grants, scope, List.of(secret.stored()));
  }

  @Test
  void theTokenIsTheClientsOwnWithNoUserNoRefreshTokenAndNoIdToken() throws Exception {
    var tokens = grants.handle(call(SERVICE, form("grant_type", "client_credentials")));

    assertThat(tokens.refreshToken()).isEmpty();
    assertThat(tokens.idToken()).isEmpty();
    assertThat(tokens.expiresIn()).isEqualTo(ACCESS_LIFETIME);
    assertThat(tokens.scope()).as("the account's scopes, less what needs a user").isEqualTo(Scope.parse("meshy.api"));
    var verified = verifier.verify(fixture.account, tokens.accessToken()).orElseThrow();
    assertThat(verified.subject()).isEqualTo(SERVICE);
    assertThat(verified.clientId()).isEqualTo(SERVICE);
    assertThat(verified.ofUser()).isFalse();
    var claims = SignedJWT.parse(tokens.accessToken()).getJWTClaimsSet().getClaims();
    assertThat(claims).doesNotContainKeys("id", "role", "permission", "sid", "given_name", "family_name");
    assertThat(claims.get("iat")).isEqualTo(Date.from(T0));
    assertThat(fixture.database.refreshTokenCount()).isZero();
  }

  @ParameterizedTest(name = "{0} asks [{1}]: [{2}]")
  @CsvSource({
      "acme-service,        meshy.api, meshy.api",
      "acme-narrow-service, meshy.api, meshy.api",
  })
  void aClientGetsTheScopeItAsksWithinItsOwn(String clientId, String asked, String granted) {
    var tokens = grants.handle(call(clientId, form("grant_type", "client_credentials", "scope", asked)));

    assertThat(tokens.scope()).isEqualTo(Scope.parse(granted));
  }

  @ParameterizedTest(name = "{0} asks [{1}]")
  @CsvSource({
      "acme-service,        offline_access,           offline_access and openid are for grants with a user",
      "acme-service,        meshy.api openid,         offline_access and openid are for grants with a user",
      "acme-service,        admin,                    scope beyond the account's allowed scopes",
      "acme-narrow-service, meshy.api offline_access, offline_access and openid are for grants with a user",
  })
  void aScopeThatNeedsAUserOrIsBeyondTheClientsIsInvalidScope(String clientId, String asked, String detail) {
    assertRefused(() -> grants.handle(call(clientId, form("grant_type", "client_credentials", "scope", asked))),
        "invalid_scope", 400, "Invalid scope.", detail);
  }

  @Test
  void aClientNarrowedToAScopeGetsNoMoreOfTheAccountsThanThatWhenItNamesNone() {
    assertThat(grants.handle(call(NARROW, form("grant_type", "client_credentials"))).scope())
        .isEqualTo(Scope.parse("meshy.api"));
  }

  @Test
  void onlyAConfidentialClientGivenTheGrantMayUseIt() {
    assertRefused(() -> grants.handle(call(LOGIN_ONLY, form("grant_type", "client_credentials"))),
        "unauthorized_client", 400, "The client is not allowed this grant type.",
        "a confidential client not given client_credentials");
    assertRefused(() -> grants.handle(new GrantFixture.Call(ACCOUNT, ClientCredentials.publicClient(CLIENT),
        form("grant_type", "client_credentials"))), "unauthorized_client", 400,
        "The client is not allowed this grant type.", "client_credentials is for confidential clients");
  }

  @Test
  void aWrongSecretIsRefusedBeforeTheGrantIsLookedAt() {
    assertRefused(() -> grants.handle(new GrantFixture.Call(ACCOUNT, ClientCredentials.basic(SERVICE, "wrong"),
        form("grant_type", "client_credentials"))), "invalid_client", 401, "Client authentication failed.",
        "wrong client secret");
  }

  private GrantFixture.Call call(String clientId, Map<String, String> form) {
    return new GrantFixture.Call(ACCOUNT, ClientCredentials.basic(clientId, secret.secret()), form);
  }
}
