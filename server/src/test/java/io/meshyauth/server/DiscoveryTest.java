package io.meshyauth.server;

import static io.meshyauth.server.TestServer.ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "on {0}")
@EnumSource(StoreKind.class)
class DiscoveryTest {
  private static final String JWKS_PATH = "/" + ACCOUNT + "/.well-known/openid-configuration/jwks";
  private final TestServer server;

  DiscoveryTest(StoreKind store) {
    server = TestServer.start(store);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void discoveryNamesTheAccountsIssuerEndpointsAndKeys() {
    var answer = server.http.get("/" + ACCOUNT + "/.well-known/openid-configuration");

    var issuer = server.server.baseUrl() + "/" + ACCOUNT;
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.text("issuer")).isEqualTo(issuer);
    assertThat(answer.text("token_endpoint")).isEqualTo(issuer + "/connect/token");
    assertThat(answer.text("revocation_endpoint")).isEqualTo(issuer + "/connect/revocation");
    assertThat(answer.text("jwks_uri")).isEqualTo(server.server.baseUrl() + JWKS_PATH);
    assertThat(answer.json().get("grant_types_supported").toString()).contains("password", "refresh_token");
  }

  @Test
  void unknownAccountHasNoDiscoveryDocument() {
    assertThat(server.http.get("/nobody/.well-known/openid-configuration").status()).isEqualTo(404);
    assertThat(server.http.get("/nobody/.well-known/openid-configuration/jwks").status()).isEqualTo(404);
  }

  @Test
  void accessTokenVerifiesWithAKeyOfTheJwkSet() throws Exception {
    var token = SignedJWT.parse(server.login().text("access_token"));

    assertThat(token.verify(new ECDSAVerifier(jwks().getKeyByKeyId(token.getHeader().getKeyID()).toECKey())))
        .isTrue();
    assertThat(jwks().getKeys()).allSatisfy(key -> assertThat(key.isPrivate()).isFalse());
  }

  @Test
  void keysOfOneAccountAreNotPublishedByAnother() throws Exception {
    server.server.provisioning().createAccount("other", "other-key");
    var token = SignedJWT.parse(server.login().text("access_token"));

    var others = JWKSet.parse(server.http.get("/other/.well-known/openid-configuration/jwks").response().body());

    assertThat(others.getKeys()).isNotEmpty();
    assertThat(others.getKeyByKeyId(token.getHeader().getKeyID())).isNull();
  }

  private JWKSet jwks() throws ParseException {
    return JWKSet.parse(server.http.get(JWKS_PATH).response().body());
  }
}
