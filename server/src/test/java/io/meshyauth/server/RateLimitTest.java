package io.meshyauth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "on {0}")
@EnumSource(StoreKind.class)
class RateLimitTest {
  private final TestServer server;

  RateLimitTest(StoreKind store) {
    server = TestServer.start(store);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void requestBeyondTheAccountLimitGets429WithRetryAfter() {
    server.createLimitedAccount("small", "small-key", 2);
    var form = new LinkedHashMap<String, String>();
    form.put("client_id", "small-key");
    form.put("grant_type", "password");
    form.put("username", "nobody");
    form.put("password", "x");

    assertThat(server.http.postForm("/small/connect/token", form).status()).isEqualTo(400);
    assertThat(server.http.postForm("/small/connect/token", form).status()).isEqualTo(400);
    var limited = server.http.postForm("/small/connect/token", form);

    assertThat(limited.status()).isEqualTo(429);
    assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 60);
    assertThat(limited.text("error")).isEqualTo("too_many_requests");
    assertThat(limited.header("RateLimit-Policy")).isEqualTo("\"account\";q=2;w=60");
    assertThat(limited.header("RateLimit")).isEqualTo("\"account\";r=0;t=" + limited.header("Retry-After"));
  }

  @Test
  void limitOfOneAccountDoesNotThrottleAnother() {
    server.createLimitedAccount("small", "small-key", 1);
    var form = new LinkedHashMap<String, String>();
    form.put("client_id", "small-key");
    form.put("grant_type", "password");
    form.put("username", "nobody");
    form.put("password", "x");
    server.http.postForm("/small/connect/token", form);

    assertThat(server.http.postForm("/small/connect/token", form).status()).isEqualTo(429);
    assertThat(server.login().status()).isEqualTo(200);
  }

  @Test
  void revocationCountsAgainstTheLimitToo() {
    server.createLimitedAccount("small", "small-key", 1);
    var form = new LinkedHashMap<String, String>();
    form.put("token", "anything");
    form.put("client_id", "small-key");

    assertThat(server.http.postForm("/small/connect/revocation", form).status()).isEqualTo(200);
    assertThat(server.http.postForm("/small/connect/revocation", form).status()).isEqualTo(429);
  }
}
