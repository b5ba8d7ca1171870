package io.meshyauth.contracts.consumer;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.meshyauth.client.MeshyClient;
import io.meshyauth.client.OAuthErrorException;
import io.meshyauth.client.RateLimitedException;
import io.meshyauth.client.RetryPolicy;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The consumer guide's plain-WireMock example (contracts/CONSUMERS.md), as a consumer writes it: the stubs jar
 * is a test dependency ({@code io.meshyauth:meshy-auth-contracts:VERSION:stubs}; here failsafe puts the jar of
 * this build on the classpath), WireMock reads its mappings from the classpath, and every request must match
 * a stub.
 */
class WireMockConsumerExampleIT {
  // the stubs jar keeps its mappings under META-INF/{groupId}/{artifactId}/{version}/mappings
  private static final String STUBS = "META-INF/io.meshyauth/meshy-auth-contracts/"
      + System.getProperty("meshy.version", "0.1.0-SNAPSHOT");

  private static final WireMockServer wireMock =
      new WireMockServer(options().dynamicPort().usingFilesUnderClasspath(STUBS));

  @BeforeAll
  static void start() {
    wireMock.start();
  }

  @AfterAll
  static void stop() {
    wireMock.stop();
  }

  @AfterEach
  void everyRequestMatchedAStub() {
    var unmatched = wireMock.findAllUnmatchedRequests();
    wireMock.resetRequests();
    wireMock.resetScenarios(); // the refresh stub takes alice-login-refresh-token once per scenario
    assertThat(unmatched).as("requests no stub matched").isEmpty();
  }

  private MeshyClient client(String account, String clientId) {
    return MeshyClient.builder(account, clientId).baseUrl(wireMock.baseUrl()).retryPolicy(RetryPolicy.none())
        .build();
  }

  @Test
  void loginRefreshAndSignOut() {
    var connection = client("acme", "acme-public-key").loginWithPassword("alice", "secret");
    assertThat(connection.refreshToken()).contains("alice-login-refresh-token");

    connection.refresh();
    assertThat(connection.refreshToken()).contains("alice-refreshed-refresh-token");

    connection.signOut();
  }

  @Test
  void wrongPasswordIsInvalidGrant() {
    assertThatThrownBy(() -> client("acme", "acme-public-key").loginWithPassword("alice", "not-the-password"))
        .isInstanceOfSatisfying(OAuthErrorException.class, e -> {
          assertThat(e.error()).isEqualTo("invalid_grant");
          assertThat(e.description()).isEqualTo("Username or password is invalid.");
        });
  }

  @Test
  void bruteForcedUserIsRateLimitedWithRetryAfter() {
    assertThatThrownBy(() -> client("acme", "acme-public-key").loginWithPassword("carol", "carol-secret"))
        .isInstanceOfSatisfying(RateLimitedException.class,
            e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(300)));
  }
}
