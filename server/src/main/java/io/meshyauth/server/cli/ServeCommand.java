package io.meshyauth.server.cli;

import io.meshyauth.server.MeshyAuthServer;
import io.meshyauth.server.ServerConfig;
import io.meshyauth.server.WarmUp;
import io.meshyauth.server.oauth.Password;
import io.meshyauth.server.config.SettingKeys;
import io.meshyauth.server.config.Settings;
import io.meshyauth.server.store.Stores;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Start the token service on the embedded store.")
final class ServeCommand implements Callable<Integer> {
  static final String DEMO_ACCOUNT = "demo";
  static final String DEMO_CLIENT_ID = "demo-public-key";
  static final String DEMO_USERNAME = "demo";
  static final String DEMO_PASSWORD = "demo-password";
  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  @Mixin
  SettingsOptions settingsOptions;

  @Option(names = "--host", description = "Address to bind (server.host, default 127.0.0.1); 0.0.0.0 for every "
      + "interface.")
  String host;

  @Option(names = "--port", description = "Port to listen on, 0 for any free port (server.port, default 8080).")
  Integer port;

  @Option(names = "--issuer", paramLabel = "URL",
      description = "Base URL of the iss claim; the account name is appended (server.issuer-base-url, default: the "
          + "address the server listens on, which only a loopback address may rely on).")
  String issuer;

  @Option(names = "--demo", description = "When the store is empty, create account '" + DEMO_ACCOUNT + "', client '"
      + DEMO_CLIENT_ID + "' and user '" + DEMO_USERNAME + "' with password '" + DEMO_PASSWORD
      + "'. For trying the server out only.")
  boolean demo;

  @Override
  public Integer call() throws InterruptedException {
    var server = start();
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("stopping");
      server.close();
      stopped.countDown();
    }, "meshy-auth-shutdown"));
    stopped.await();
    return 0;
  }

  MeshyAuthServer start() {
    var config = ServerConfig.from(settings());
    WarmUp.inBackground();
    var stores = Stores.open(config.storeUrl(), config.keyEncryptionKeyFile());
    var server = MeshyAuthServer.start(config, stores);
    if (demo && !stores.accounts().hasAccounts()) {
      provisionDemo(server);
    }
    // the address actually bound, which for 0.0.0.0 is no address a client uses: the issuer is
    var issuer = config.issuerBaseUrl().orElse(server.baseUrl());
    LOG.info("meshy-auth listening on {}; token endpoint: POST {}/<accountName>/connect/token", server.boundUrl(),
        issuer);
    return server;
  }

  Settings settings() {
    var overrides = new LinkedHashMap<String, String>();
    Optional.ofNullable(host).ifPresent(value -> overrides.put(SettingKeys.HOST, value));
    Optional.ofNullable(port).ifPresent(value -> overrides.put(SettingKeys.PORT, value.toString()));
    Optional.ofNullable(issuer).ifPresent(value -> overrides.put(SettingKeys.ISSUER_BASE_URL, value));
    return settingsOptions.settings(overrides);
  }

  private static void provisionDemo(MeshyAuthServer server) {
    server.provisioning().createAccount(DEMO_ACCOUNT, DEMO_CLIENT_ID);
    try (var password = Password.of(DEMO_PASSWORD)) {
      server.provisioning().createUser(DEMO_ACCOUNT, DEMO_USERNAME, password);
    }
    // on stderr as well as in the log, so nobody misses it
    System.err.printf("""

        ******************************************************************************
        * DEMO MODE: the store was empty, so a demo account was created.
        *   account: %s   client_id: %s   user: %s   password: %s
        * Anyone who can reach this port can log in with these. Never use in production.
        ******************************************************************************

        """, DEMO_ACCOUNT, DEMO_CLIENT_ID, DEMO_USERNAME, DEMO_PASSWORD);
    LOG.atWarn().addKeyValue("account", DEMO_ACCOUNT).addKeyValue("client_id", DEMO_CLIENT_ID)
        .addKeyValue("username", DEMO_USERNAME).log("demo mode: created a demo account with a published password");
  }
}
