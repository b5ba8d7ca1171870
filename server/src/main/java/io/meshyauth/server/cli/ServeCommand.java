package io.meshyauth.server.cli;

import io.meshyauth.server.MeshyAuthServer;
import io.meshyauth.server.ServerConfig;
import io.meshyauth.server.oauth.Password;
import io.meshyauth.server.password.Argon2PasswordHasher.Argon2Parameters;
import io.meshyauth.server.store.Stores;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Start the token service on the embedded store.")
final class ServeCommand implements Callable<Integer> {
  static final String DEMO_ACCOUNT = "demo";
  static final String DEMO_CLIENT_ID = "demo-public-key";
  static final String DEMO_USERNAME = "demo";
  static final String DEMO_PASSWORD = "demo-password";
  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  @Option(names = "--host", defaultValue = "${env:MESHY_AUTH_HOST:-" + ServerConfig.DEFAULT_HOST + "}",
      description = "Address to bind (env MESHY_AUTH_HOST, default ${DEFAULT-VALUE}); 0.0.0.0 for every interface.")
  String host;

  @Option(names = "--port", defaultValue = "${env:MESHY_AUTH_PORT:-8080}",
      description = "Port to listen on, 0 for any free port (env MESHY_AUTH_PORT, default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--issuer", defaultValue = "${env:MESHY_AUTH_ISSUER}",
      description = "Base URL put in the iss claim; the account name is appended (env MESHY_AUTH_ISSUER, "
          + "default: the address the server listens on).")
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
    var config = new ServerConfig(host, port, Optional.ofNullable(issuer), Argon2Parameters.defaults(), 16 * 1024,
        Clock.systemUTC());
    var stores = Stores.inMemory();
    var server = MeshyAuthServer.start(config, stores);
    if (demo && !stores.accounts().hasAccounts()) {
      provisionDemo(server);
    }
    LOG.info("meshy-auth listening on {}; token endpoint: POST {}/<accountName>/connect/token", server.baseUrl(),
        server.baseUrl());
    return server;
  }

  private static void provisionDemo(MeshyAuthServer server) {
    server.provisioning().createAccount(DEMO_ACCOUNT, DEMO_CLIENT_ID);
    try (var password = Password.of(DEMO_PASSWORD)) {
      server.provisioning().createUser(DEMO_ACCOUNT, DEMO_USERNAME, password);
    }
    LOG.warn("""

        ******************************************************************************
        * DEMO MODE: the store was empty, so a demo account was created.             *
        *   account: {}   client_id: {}   user: {} / password: {}
        * Anyone who can reach this port can log in with these. Never use in production.
        ******************************************************************************""",
        DEMO_ACCOUNT, DEMO_CLIENT_ID, DEMO_USERNAME, DEMO_PASSWORD);
  }
}
