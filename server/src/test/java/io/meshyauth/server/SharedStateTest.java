package io.meshyauth.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshyauth.server.store.Account;
import io.meshyauth.server.store.PostgresBackend;
import io.meshyauth.server.values.Password;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two nodes on one PostgreSQL database behave as one server. */
class SharedStateTest {
  private final MeshyAuthServer nodeA;
  private final MeshyAuthServer nodeB;

  SharedStateTest() {
    var database = PostgresBackend.shared().newDatabase();
    var config = ServerConfig.defaults().withPort(0).withArgon2(TestServer.FAST_ARGON2)
        .withShutdownGrace(Duration.ZERO).withRefreshGraceWindow(Duration.ZERO);
    nodeA = MeshyAuthServer.start(config, database.open());
    nodeB = MeshyAuthServer.start(config, database.open());
    nodeA.provisioning().createAccount(TestServer.ACCOUNT, TestServer.CLIENT_ID);
    nodeA.provisioning().createUser(TestServer.ACCOUNT, TestServer.USERNAME, Password.of(TestServer.PASSWORD));
  }

  @AfterEach
  void stop() {
    nodeA.close();
    nodeB.close();
  }

  @Test
  void accountRequestLimitIsCountedAcrossNodes() {
    nodeA.provisioning().createAccount(new Account("small", Set.of("small-key"), Provisioning.DEFAULT_SCOPES,
        Duration.ofHours(1), Duration.ofDays(1), 2));
    var form = new LinkedHashMap<String, String>();
    form.put("token", "anything");
    form.put("client_id", "small-key");

    assertThat(http(nodeA).postForm("/small/connect/revocation", form).status()).isEqualTo(200);
    assertThat(http(nodeB).postForm("/small/connect/revocation", form).status()).isEqualTo(200);
    assertThat(http(nodeA).postForm("/small/connect/revocation", form).status()).isEqualTo(429);
    assertThat(http(nodeB).postForm("/small/connect/revocation", form).status()).isEqualTo(429);
  }

  @Test
  void refreshTokenIssuedByOneNodeRotatesOnTheOtherAndReplayIsSeenEverywhere() {
    var first = http(nodeA).postForm(TestServer.TOKEN_PATH, TestServer.passwordForm()).text("refresh_token");

    var second = http(nodeB).postForm(TestServer.TOKEN_PATH, TestServer.refreshForm(first));
    var replay = http(nodeA).postForm(TestServer.TOKEN_PATH, TestServer.refreshForm(first));

    assertThat(second.status()).isEqualTo(200);
    assertThat(replay.status()).isEqualTo(400);
    assertThat(http(nodeB).postForm(TestServer.TOKEN_PATH, TestServer.refreshForm(second.text("refresh_token")))
        .status()).isEqualTo(400);
  }

  @Test
  void tokensOfOneNodeVerifyWithTheKeysTheOtherPublishes() throws Exception {
    var token = com.nimbusds.jwt.SignedJWT.parse(
        http(nodeA).postForm(TestServer.TOKEN_PATH, TestServer.passwordForm()).text("access_token"));

    var jwks = com.nimbusds.jose.jwk.JWKSet.parse(
        http(nodeB).get("/" + TestServer.ACCOUNT + "/.well-known/openid-configuration/jwks").response().body());

    assertThat(token.verify(new com.nimbusds.jose.crypto.ECDSAVerifier(
        jwks.getKeyByKeyId(token.getHeader().getKeyID()).toECKey()))).isTrue();
  }

  private static SpecCheckedHttp http(MeshyAuthServer node) {
    return new SpecCheckedHttp(node.baseUrl());
  }
}
