package io.meshyauth.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.meshyauth.server.store.PostgresBackend;
import io.meshyauth.server.testing.Daemons;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two server jars, two JVMs, one PostgreSQL database: the nodes share no memory, so whatever they agree on, the
 * database made them agree on.
 */
class TwoNodesIT {
  private static final String PASSWORD = "node-password";
  private static final int PER_USERNAME_AND_IP = 5;
  private static final int PER_USERNAME = 12;
  private static final int PER_IP = 8;
  private static final int REQUESTS_PER_MINUTE = 30;
  private static final Pattern NEW_KEY = Pattern.compile("new key (\\S+)");
  /** What clients and resource servers know the cluster by: one issuer, whichever node answers. */
  private static final String ISSUER = "https://auth.mesh.example";

  private static String store;
  private static Map<String, String> environment;
  private static JarNode nodeA;
  private static JarNode nodeB;
  private static final TokenHttp CLIENT = new TokenHttp("mesh", "mesh-client");

  @BeforeAll
  static void twoNodesOnOneDatabase() throws Exception {
    var database = PostgresBackend.shared().newDatabase();
    store = database.jdbcUrl();
    environment = new HashMap<>(JarNode.cheapHashing());
    // the nodes share the key that encrypts their signing keys, as a cluster's nodes must
    environment.put("MESHY_AUTH_KEYS_ENCRYPTION_KEY_FILE", database.keyFile().toString());
    environment.put("MESHY_AUTH_TOKENS_REFRESH_GRACE_WINDOW", "0s");
    environment.put("MESHY_AUTH_SERVER_TRUSTED_PROXIES", "127.0.0.1");
    environment.put("MESHY_AUTH_LIMITS_FAILED_LOGINS_PER_USERNAME_AND_IP", Integer.toString(PER_USERNAME_AND_IP));
    environment.put("MESHY_AUTH_LIMITS_FAILED_LOGINS_PER_USERNAME", Integer.toString(PER_USERNAME));
    environment.put("MESHY_AUTH_LIMITS_FAILED_LOGINS_PER_IP", Integer.toString(PER_IP));
    // a window long enough that nothing refills while the test runs: the counts are exact
    environment.put("MESHY_AUTH_LIMITS_FAILED_LOGIN_WINDOW", "1d");
    JarNode.cli(environment, null, "accounts", "create", "mesh", "--client-id", "mesh-client",
        "--requests-per-minute", "1000000", "--store", store);
    JarNode.cli(environment, null, "accounts", "create", "metered", "--client-id", "metered-client",
        "--requests-per-minute", Integer.toString(REQUESTS_PER_MINUTE), "--store", store);
    JarNode.cli(environment, PASSWORD, "users", "create", "mesh", "alice", "--store", store);
    var a = CompletableFuture.supplyAsync(() -> JarNode.start(store, environment, List.of(), ISSUER),
        Daemons.THREADS);
    var b = CompletableFuture.supplyAsync(() -> JarNode.start(store, environment, List.of(), ISSUER),
        Daemons.THREADS);
    nodeA = a.get(180, TimeUnit.SECONDS);
    nodeB = b.get(180, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    for (var node : new JarNode[] {nodeA, nodeB}) {
      if (node != null) {
        node.close();
      }
    }
  }

  @Test
  void aTokenFromOneNodeRefreshesOnTheOther() throws Exception {
    var login = CLIENT.login(nodeA.baseUrl(), "alice", PASSWORD);
    assertThat(login.status()).isEqualTo(200);

    var refreshed = CLIENT.refresh(nodeB.baseUrl(), login.refreshToken());
    assertThat(refreshed.status()).as(refreshed.body().toString()).isEqualTo(200);
    var back = CLIENT.refresh(nodeA.baseUrl(), refreshed.refreshToken());
    assertThat(back.status()).as(back.body().toString()).isEqualTo(200);
  }

  /** Without a grace window, one refresh token is exchanged once, however the uses are spread over the nodes. */
  @Test
  void sixtyFourConcurrentUsesOverBothNodesGiveExactlyOneSuccess() throws Exception {
    var token = CLIENT.login(nodeB.baseUrl(), "alice", PASSWORD).refreshToken();

    var statuses = burst(64, i -> () -> CLIENT.refresh(node(i).baseUrl(), token).status());

    assertThat(statuses.stream().filter(s -> s == 200).count()).as("%s", statuses).isEqualTo(1);
    assertThat(statuses.stream().filter(s -> s == 400).count()).as("%s", statuses).isEqualTo(63);
  }

  @Test
  void theUsernameAndAddressBudgetHoldsAcrossNodes() throws Exception {
    var statuses = burst(30, i -> () -> guess(i, "alice", "10.1.0.1"));

    assertChecked(statuses, PER_USERNAME_AND_IP);
  }

  @Test
  void theUsernameBudgetHoldsAcrossNodesAndAddresses() throws Exception {
    // two guesses from each of 30 addresses: no address reaches its own budgets, the username's runs out
    var statuses = burst(60, i -> () -> guess(i, "carol", "10.2.0." + (i / 2 + 1)));

    assertChecked(statuses, PER_USERNAME);
  }

  @Test
  void theAddressBudgetHoldsAcrossNodesAndUsernames() throws Exception {
    var statuses = burst(40, i -> () -> guess(i, "sprayed-" + i, "10.3.0.1"));

    assertChecked(statuses, PER_IP);
  }

  /** Every request counts, on whichever node: together they get the account's rate and no more. */
  @Test
  void theAccountRequestLimitHoldsAcrossNodes() throws Exception {
    var metered = new TokenHttp("metered", "metered-client");
    var started = System.nanoTime();

    var statuses = burst(100, i -> () -> metered.refresh(node(i).baseUrl(), "no-such-token-" + i).status());

    var minutes = (System.nanoTime() - started) / 60e9;
    var answered = statuses.stream().filter(s -> s != 429).count();
    assertThat(statuses).containsOnly(400, 429);
    assertThat(answered).as("the full minute's budget, and what refilled while the burst ran")
        .isBetween((long) REQUESTS_PER_MINUTE, REQUESTS_PER_MINUTE + (long) Math.ceil(minutes * REQUESTS_PER_MINUTE));
  }

  @Test
  void aKeyRotatedWithTheCliIsServedByBothNodesAndTokensVerifyWithEitherNodesKeys() throws Exception {
    var before = CLIENT.login(nodeA.baseUrl(), "alice", PASSWORD).body().get("access_token").asText();

    var output = JarNode.cli(environment, null, "keys", "rotate", "mesh", "--store", store);
    var match = NEW_KEY.matcher(output);
    assertThat(match.find()).as(output).isTrue();
    var kid = match.group(1);

    var tokens = new ArrayList<>(List.of(before));
    for (var node : List.of(nodeA, nodeB)) {
      assertThat(jwks(node).getKeyByKeyId(kid)).as("the new key on %s", node.baseUrl()).isNotNull();
      tokens.add(CLIENT.login(node.baseUrl(), "alice", PASSWORD).body().get("access_token").asText());
    }
    for (var token : tokens) {
      var jwt = SignedJWT.parse(token);
      for (var node : List.of(nodeA, nodeB)) {
        var key = jwks(node).getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).as("key %s on %s", jwt.getHeader().getKeyID(), node.baseUrl()).isNotNull();
        assertThat(jwt.verify(new ECDSAVerifier(key.toECKey()))).isTrue();
      }
    }
  }

  /**
   * A resource server that discovered one node checks a token's issuer against that node's discovery document and
   * its signature against that node's keys: tokens of the other node pass both.
   */
  @Test
  void aTokenFromEitherNodePassesTheOtherNodesDiscoveryIssuerCheck() throws Exception {
    for (var pair : List.of(List.of(nodeA, nodeB), List.of(nodeB, nodeA))) {
      var token = SignedJWT.parse(CLIENT.login(pair.get(0).baseUrl(), "alice", PASSWORD).body()
          .get("access_token").asText());
      var discovery = new ObjectMapper().readTree(new URL(pair.get(1).baseUrl()
          + "/mesh/.well-known/openid-configuration"));

      assertThat(discovery.get("issuer").asText()).isEqualTo(ISSUER + "/mesh");
      assertThat(token.getJWTClaimsSet().getIssuer()).isEqualTo(discovery.get("issuer").asText());
      var key = jwks(pair.get(1)).getKeyByKeyId(token.getHeader().getKeyID());
      assertThat(token.verify(new ECDSAVerifier(key.toECKey()))).isTrue();
    }
  }

  private static int guess(int i, String username, String address) throws Exception {
    var form = Map.of("grant_type", "password", "client_id", "mesh-client", "username", username,
        "password", "wrong-" + i);
    return CLIENT.post(node(i).baseUrl(), form, Map.of("X-Forwarded-For", address)).status();
  }

  private static void assertChecked(List<Integer> statuses, int budget) {
    assertThat(statuses.stream().filter(s -> s == 400).count()).as("guesses checked on both nodes together: %s",
        statuses).isEqualTo(budget);
    assertThat(statuses.stream().filter(s -> s == 429).count()).isEqualTo(statuses.size() - budget);
  }

  private static JarNode node(int i) {
    return i % 2 == 0 ? nodeA : nodeB;
  }

  private static JWKSet jwks(JarNode node) throws Exception {
    return JWKSet.load(new URL(node.baseUrl() + "/mesh/.well-known/openid-configuration/jwks"));
  }

  /** {@code count} requests released together, each on a thread of its own. */
  private static List<Integer> burst(int count, IntFunction<Callable<Integer>> request) throws Exception {
    var pool = Executors.newFixedThreadPool(count);
    try {
      var gate = new CountDownLatch(1);
      var futures = new ArrayList<Future<Integer>>();
      for (int i = 0; i < count; i++) {
        var call = request.apply(i);
        futures.add(pool.submit(() -> {
          gate.await();
          return call.call();
        }));
      }
      gate.countDown();
      var statuses = new ArrayList<Integer>();
      for (var future : futures) {
        statuses.add(future.get(120, TimeUnit.SECONDS));
      }
      return statuses;
    } finally {
      pool.shutdownNow();
    }
  }
}
