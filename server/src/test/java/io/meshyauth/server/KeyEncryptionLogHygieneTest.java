package io.meshyauth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import io.meshyauth.server.values.Password;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Everything logged, at every level, and every error thrown while a key-encryption key is created, used, and
 * refused (missing, another, not a key), searched for that key in each of its encodings and for the private keys.
 */
class KeyEncryptionLogHygieneTest {
  private static final List<String> SOURCES = List.of("io.meshyauth", "io.javalin", "org.bouncycastle",
      "com.nimbusds", "com.zaxxer.hikari", "org.flywaydb", "org.sqlite");

  @TempDir
  Path directory;

  private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
  private final List<Logger> loggers = new ArrayList<>();

  @BeforeEach
  void captureEverything() {
    var context = (LoggerContext) LoggerFactory.getILoggerFactory();
    captured.setContext(context);
    captured.start();
    for (var name : SOURCES) {
      var logger = context.getLogger(name);
      logger.setLevel(Level.ALL);
      logger.setAdditive(false);
      logger.addAppender(captured);
      loggers.add(logger);
    }
  }

  @AfterEach
  void release() {
    for (var logger : loggers) {
      logger.detachAppender(captured);
      logger.setAdditive(true);
      logger.setLevel(null);
    }
  }

  @Test
  void neitherTheKeyEncryptionKeyNorAPrivateKeyReachesTheLogOrAnError() throws Exception {
    var database = KeysAtRestTest.Kind.SQLITE.database(directory);
    var secrets = new ArrayList<String>();
    var errors = new StringBuilder();
    try (var server = MeshyAuthServer.start(ServerConfig.defaults().withPort(0).withArgon2(TestServer.FAST_ARGON2)
        .withShutdownGrace(Duration.ZERO), database.open())) {
      server.provisioning().createAccount("acme", "acme-key");
      server.provisioning().rotateSigningKey("acme");
      server.provisioning().createUser("acme", "alice", Password.of("alice password"));
      var login = new SpecCheckedHttp(server.baseUrl()).postForm("/acme/connect/token", Map.of(
          "client_id", "acme-key", "grant_type", "password", "username", "alice", "password", "alice password"));
      assertThat(login.status()).isEqualTo(200);
      for (var key : server.stores().signingKeys().publishedSigningKeys(Optional.of("acme"), Instant.now())) {
        secrets.add(key.privateJwk());
        secrets.add(ECKey.parse(key.privateJwk()).getD().toString());
      }
    }
    var keyText = KeysAtRestTest.keyEncryptionKey(database);
    var keyBytes = Base64.getDecoder().decode(keyText);
    secrets.add(keyText);
    secrets.add(Base64URL.encode(keyBytes).toString());
    secrets.add(HexFormat.of().formatHex(keyBytes));
    // an eighth of the key is already too much to show
    secrets.add(keyText.substring(0, 6));

    var original = Files.readString(database.keyFile());
    Files.delete(database.keyFile());
    errors.append(failureOf(database));
    Files.writeString(database.keyFile(), KeysAtRestTest.randomKey());
    errors.append(failureOf(database));
    Files.writeString(database.keyFile(), "*" + original.substring(1));
    errors.append(failureOf(database));
    Files.writeString(database.keyFile(), original.substring(0, 20));
    errors.append(failureOf(database));

    var log = render(captured.list);
    assertThat(log).as("the capture saw the store and the key file")
        .contains("created the key-encryption key file").contains("meshy-auth-store");
    assertThat(errors).as("each opening failed").contains("does not exist").contains("holds another")
        .contains("does not hold a key-encryption key");
    assertThat(secrets).allSatisfy(secret -> {
      assertThat(log).doesNotContain(secret);
      assertThat(errors).doesNotContain(secret);
    });
  }

  private static String failureOf(KeysAtRestTest.Database database) {
    var failure = catchThrowable(database::open);
    assertThat(failure).isNotNull();
    var trace = new StringWriter();
    failure.printStackTrace(new PrintWriter(trace));
    return trace + "\n";
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
