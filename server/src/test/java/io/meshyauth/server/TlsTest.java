package io.meshyauth.server;

import static io.meshyauth.server.TestServer.ACCOUNT;
import static io.meshyauth.server.TestServer.TOKEN_PATH;
import static io.meshyauth.server.TestServer.passwordForm;
import static io.meshyauth.server.testing.Forms.encode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import io.meshyauth.server.TestCertificates.KeyFormat;
import io.meshyauth.server.config.SettingKeys;
import io.meshyauth.server.config.Settings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** server.tls.certificate and server.tls.private-key turn on HTTPS, and the issuer says https. */
class TlsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path directory;
  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private TestServer startWithTls(TestCertificates.Pem pem) {
    var settings = Settings.load(Optional.empty(), Map.of(), Map.of(
        SettingKeys.TLS_CERTIFICATE, pem.certificate().toString(),
        SettingKeys.TLS_PRIVATE_KEY, pem.privateKey().toString()));
    var http = ServerConfig.from(settings).http();
    server = TestServer.start(StoreKind.SQLITE, config -> config.withHttp(http));
    return server;
  }

  @ParameterizedTest(name = "{0} key, {1}")
  @CsvSource({"EC, TRADITIONAL", "EC, PKCS8", "RSA, TRADITIONAL", "RSA, PKCS8"})
  void aLoginOverHttpsGetsATokenWhoseIssuerIsHttps(String algorithm, KeyFormat format) throws Exception {
    var pem = TestCertificates.write(directory, algorithm, format);
    startWithTls(pem);
    var baseUrl = server.server.baseUrl();
    var https = HttpClient.newBuilder().sslContext(pem.clientContext()).build();

    var login = https.send(HttpRequest.newBuilder(URI.create(baseUrl + TOKEN_PATH))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(encode(passwordForm()))).build(), HttpResponse.BodyHandlers.ofString());
    var discovery = https.send(HttpRequest.newBuilder(URI.create(baseUrl + "/" + ACCOUNT
        + "/.well-known/openid-configuration")).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(baseUrl).startsWith("https://127.0.0.1:");
    assertThat(login.statusCode()).isEqualTo(200);
    var issuer = baseUrl + "/" + ACCOUNT;
    assertThat(SignedJWT.parse(JSON.readTree(login.body()).get("access_token").asText()).getJWTClaimsSet()
        .getIssuer()).isEqualTo(issuer);
    assertThat(JSON.readTree(discovery.body()).get("issuer").asText()).isEqualTo(issuer);
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateIsRefused() {
    var pem = TestCertificates.write(directory, "EC", KeyFormat.PKCS8);
    startWithTls(pem);
    var untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(URI.create(server.server.baseUrl() + "/"
        + ACCOUNT + "/.well-known/openid-configuration")).build(), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(SSLHandshakeException.class);
  }
}
