package io.meshyauth.server;

import static io.meshyauth.server.TestServer.TOKEN_PATH;
import static io.meshyauth.server.TestServer.passwordForm;
import static io.meshyauth.server.testing.Forms.encode;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** With {@code server.management-port}, {@code /metrics} lives on a listener of its own, and only there. */
class ManagementPortTest {
  private TestServer server;

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void metricsAreServedOnTheManagementPortOnlyAndCountTheApisTraffic() {
    server = TestServer.start(StoreKind.SQLITE, config -> config.withHttp(config.http().withManagementPort(0)));
    var metricsUrl = URI.create(server.server.metricsUrl());
    var api = URI.create(server.server.baseUrl());
    assertThat(metricsUrl.getPort()).isNotEqualTo(api.getPort());
    assertThat(metricsUrl.getPath()).isEqualTo("/metrics");

    assertThat(server.login().status()).isEqualTo(200);

    var scrape = Scrape.awaiting(metricsUrl.toString(), s -> s.value("meshy_token_requests_seconds_count",
        "grant", "password", "outcome", "ok") == 1);
    assertThat(scrape.value("meshy_token_requests_seconds_count", "grant", "password", "outcome", "ok")).isEqualTo(1);
    assertThat(scrape.value("meshy_logins_total", "result", "ok")).isEqualTo(1);

    var onTheApi = new RawHttp(server.server.baseUrl()).send("GET", "/metrics");
    assertThat(onTheApi.status()).isEqualTo(404);
    assertThat(onTheApi.json().get("error").asText()).isEqualTo("not_found");
  }

  @Test
  void theManagementPortAnswersNothingButMetrics() {
    server = TestServer.start(StoreKind.SQLITE, config -> config.withHttp(config.http().withManagementPort(0)));
    var management = new RawHttp(server.server.metricsUrl().replace("/metrics", ""));

    var token = management.send("POST", TOKEN_PATH, Map.of("Content-Type", SpecCheckedHttp.FORM),
        "client_id=" + TestServer.CLIENT_ID + "&grant_type=password&username=alice&password=x");
    var discovery = management.send("GET", "/" + TestServer.ACCOUNT + "/.well-known/openid-configuration");
    var wrongMethod = management.send("POST", "/metrics");

    assertThat(token.status()).isEqualTo(404);
    assertThat(token.json().get("error").asText()).isEqualTo("not_found");
    assertThat(discovery.status()).isEqualTo(404);
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.json().get("error").asText()).isEqualTo("method_not_allowed");
    assertThat(new RawHttp(server.server.baseUrl()).send("POST", TOKEN_PATH, Map.of("Content-Type",
        SpecCheckedHttp.FORM), encode(passwordForm())).status()).isEqualTo(200);
  }

  @Test
  void withoutAManagementPortMetricsAreOnTheApisPort() {
    server = TestServer.start(StoreKind.SQLITE);

    assertThat(server.server.metricsUrl()).isEqualTo(server.server.baseUrl() + "/metrics");
    assertThat(Scrape.of(server.server.metricsUrl()).families()).contains("meshy_logins_total");
  }
}
