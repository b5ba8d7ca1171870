package io.meshyauth.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshyauth.client.MeshyClient;
import io.meshyauth.client.OAuthErrorException;
import io.meshyauth.client.RetryPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.cloud.contract.stubrunner.junit.StubRunnerExtension;
import org.springframework.cloud.contract.stubrunner.spring.StubRunnerProperties;

/**
 * The consumer guide's Stub Runner example (contracts/CONSUMERS.md), as a consumer writes it: the JUnit 5
 * extension resolves {@code io.meshyauth:meshy-auth-contracts:VERSION:stubs} from the local Maven repository
 * (LOCAL mode; a consumer fills it with {@code ./mvnw install}, this build with install-file into target) and
 * starts WireMock with its mappings.
 */
class StubRunnerConsumerExampleIT {
  private static final String VERSION = System.getProperty("meshy.version", "0.1.0-SNAPSHOT");

  @RegisterExtension
  static StubRunnerExtension stubRunner = new StubRunnerExtension()
      .downloadStub("io.meshyauth", "meshy-auth-contracts", VERSION, "stubs")
      .stubsMode(StubRunnerProperties.StubsMode.LOCAL);

  private static MeshyClient client() {
    var baseUrl = stubRunner.findStubUrl("meshy-auth-contracts").toString();
    return MeshyClient.builder("acme", "acme-public-key").baseUrl(baseUrl).retryPolicy(RetryPolicy.none()).build();
  }

  @Test
  void loginRefreshAndSignOutChainThroughTheStubs() {
    var connection = client().loginWithPassword("alice", "secret");
    assertThat(connection.refreshToken()).contains("alice-login-refresh-token");

    connection.refresh();
    assertThat(connection.refreshToken()).contains("alice-refreshed-refresh-token");

    connection.signOut();
  }

  @Test
  void wrongPasswordIsInvalidGrant() {
    assertThatThrownBy(() -> client().loginWithPassword("alice", "not-the-password"))
        .isInstanceOfSatisfying(OAuthErrorException.class, e -> assertThat(e.error()).isEqualTo("invalid_grant"));
  }
}
