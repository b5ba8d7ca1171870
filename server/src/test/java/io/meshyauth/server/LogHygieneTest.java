package io.meshyauth.server;

import static io.meshyauth.server.TestServer.REVOCATION_PATH;
import static io.meshyauth.server.TestServer.TOKEN_PATH;
import static io.meshyauth.server.TestServer.passwordForm;
import static io.meshyauth.server.TestServer.refreshForm;
import static io.meshyauth.server.TestServer.with;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Everything the server logs at any level during a full session, searched for the secrets it handled. */
class LogHygieneTest {
  /**
   * Our code and the libraries that see a request or a key, at every level. Jetty is left at its shipped
   * level: at DEBUG it dumps raw request bytes, which is what an operator asks for when turning it on.
   */
  private static final List<String> SOURCES = List.of("io.meshyauth", "meshy.audit", "io.javalin", "org.bouncycastle",
      "com.nimbusds", "io.github.bucket4j", "com.zaxxer.hikari", "org.flywaydb");

  private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
  /** Each logger captured, with the level it had. */
  private final Map<Logger, Level> loggers = new LinkedHashMap<>();
  private TestServer server;

  @BeforeEach
  void captureEverything() {
    var context = (LoggerContext) LoggerFactory.getILoggerFactory();
    captured.setContext(context);
    captured.start();
    for (var name : SOURCES) {
      var logger = context.getLogger(name);
      loggers.put(logger, logger.getLevel());
      logger.setLevel(Level.ALL);
      logger.setAdditive(false);
      logger.addAppender(captured);
    }
    server = TestServer.start(StoreKind.SQLITE);
  }

  @AfterEach
  void release() {
    server.close();
    loggers.forEach((logger, level) -> {
      logger.detachAppender(captured);
      logger.setAdditive(true);
      logger.setLevel(level);
    });
  }

  @Test
  void noPasswordTokenOrKeyReachesTheLog() throws Exception {
    var secrets = new ArrayList<String>();
    secrets.add(TestServer.PASSWORD);
    secrets.add("wrong-password-of-mallory");

    var login = server.login();
    secrets.add(login.text("access_token"));
    secrets.add(login.text("refresh_token"));
    server.http.postForm(TOKEN_PATH, with(passwordForm(), "password", "wrong-password-of-mallory"));
    var refreshed = server.http.postForm(TOKEN_PATH, refreshForm(login.text("refresh_token")));
    secrets.add(refreshed.text("refresh_token"));
    server.http.postForm(TOKEN_PATH, refreshForm(login.text("refresh_token")));
    server.http.postForm(REVOCATION_PATH, Map.of("token", refreshed.text("refresh_token")));
    server.http.postRaw(TOKEN_PATH, SpecCheckedHttp.FORM, "password=" + TestServer.PASSWORD + "&%ZZ");
    var keys = server.server.stores().signingKeys().publishedSigningKeys(Optional.of(TestServer.ACCOUNT),
        Instant.now());
    assertThat(keys).as("the account's signing keys, as the server reads them").isNotEmpty();
    for (var key : keys) {
      secrets.addAll(privateKeyEncodings(key.privateJwk()));
    }

    server.close();
    var log = render(captured.list);
    assertThat(log).as("the capture saw the request log").contains("request");
    assertThat(log).as("the capture saw the audit log").contains("login.succeeded", "login.failed");
    assertThat(secrets).allSatisfy(secret -> assertThat(log).doesNotContain(secret));
  }

  /** The private key as a JWK, and its scalar d and PKCS#8 form in each encoding a careless line might use. */
  private static List<String> privateKeyEncodings(String privateJwk) throws Exception {
    var key = ECKey.parse(privateJwk);
    var d = key.getD().decode();
    var pkcs8 = key.toECPrivateKey().getEncoded();
    return List.of(privateJwk, key.getD().toString(), Base64.getEncoder().encodeToString(d),
        HexFormat.of().formatHex(d), key.getD().decodeToBigInteger().toString(),
        Base64.getEncoder().encodeToString(pkcs8), Base64URL.encode(pkcs8).toString(), HexFormat.of().formatHex(pkcs8));
  }

  private static String render(List<ILoggingEvent> events) {
    return events.stream().map(event -> String.join(" ",
        event.getFormattedMessage(),
        String.valueOf(event.getKeyValuePairs()),
        String.valueOf(event.getMDCPropertyMap()),
        event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy())))
        .collect(Collectors.joining("\n"));
  }
}
