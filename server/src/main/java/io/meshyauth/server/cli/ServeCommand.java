package io.meshyauth.server.cli;

import io.meshyauth.server.MeshyAuthServer;
import io.meshyauth.server.ServerConfig;
import io.meshyauth.server.WarmUp;
import io.meshyauth.server.config.SettingKeys;
import io.meshyauth.server.config.Settings;
import io.meshyauth.server.fixtures.ContractFixtures;
import io.meshyauth.server.fixtures.ProviderStateEndpoint;
import io.meshyauth.server.logging.ConsoleLog;
import io.meshyauth.server.store.Stores;
import io.meshyauth.server.store.jdbc.JdbcStores;
import io.meshyauth.server.values.Password;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Start the token service on the configured store (embedded SQLite by default, or PostgreSQL).")
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

  @Option(names = "--log-format", paramLabel = "FORMAT",
      description = "auto, text or json (" + SettingKeys.LOG_FORMAT + ", default auto: readable text on a terminal, "
          + "JSON lines when the output goes elsewhere).")
  String logFormat;

  @Option(names = "--demo", description = "When the store is empty, create account '" + DEMO_ACCOUNT + "', client '"
      + DEMO_CLIENT_ID + "' and user '" + DEMO_USERNAME + "' with password '" + DEMO_PASSWORD
      + "'. For trying the server out only.")
  boolean demo;

  @Option(names = "--fixtures", description = "Start on a throwaway store holding exactly the accounts, users, "
      + "passwords and refresh tokens the published contracts use (printed at start), with Pact's provider-state "
      + "endpoint at POST " + ProviderStateEndpoint.PATH + ". A test double for consumers' CI only.")
  boolean fixtures;

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
    if (fixtures) {
      return startWithFixtures();
    }
    var config = ServerConfig.forServing(settings());
    ConsoleLog.use(config.logFormat());
    requirePortFree(config);
    WarmUp.inBackground(config);
    var stores = JdbcStores.open(config.storeUrl(), config.storeOptions(), config.keyEncryptionKeyFile());
    var server = startOrFail(config, () -> MeshyAuthServer.start(config, stores), stores);
    if (demo && !stores.accounts().hasAccounts()) {
      provisionDemo(server);
    }
    // the address actually bound, which for 0.0.0.0 is no address a client uses: the issuer is
    var issuer = config.issuerBaseUrl().orElse(server.baseUrl());
    LOG.info("meshy-auth listening on {}; token endpoint: POST {}/<accountName>/connect/token; ES256 signing: {}",
        server.boundUrl(), issuer, server.signing().description());
    LOG.info("metrics for Prometheus: GET {}", server.metricsUrl());
    return server;
  }

  private MeshyAuthServer startWithFixtures() {
    if (demo) {
      throw CommandFailure.usage("--fixtures and --demo exclude each other: --fixtures creates accounts of its own");
    }
    if (settingsOptions.store != null) {
      throw CommandFailure.usage("--fixtures runs on a throwaway store of its own: drop --store");
    }
    var overrides = new LinkedHashMap<>(ContractFixtures.settings());
    overrides.putAll(optionOverrides());
    var config = ServerConfig.forServing(settingsOptions.settings(overrides))
        .withFixedVerificationCode(ContractFixtures.VERIFICATION_CODE);
    ConsoleLog.use(config.logFormat());
    requirePortFree(config);
    WarmUp.inBackground(config);
    var stores = JdbcStores.temporary();
    var fixtureData = new AtomicReference<ContractFixtures>();
    var server = startOrFail(config, () -> MeshyAuthServer.startWithRoutes(config, stores,
        routes -> ProviderStateEndpoint.register(routes, fixtureData::get)), stores);
    fixtureData.set(new ContractFixtures(server).allStates());
    var banner = new StringBuilder()
        .append("\nFIXTURES MODE on ").append(server.baseUrl())
        .append(": a throwaway store with the contracts' test data. Never use in production.\n");
    ContractFixtures.describe().forEach(line -> banner.append("  ").append(line).append('\n'));
    banner.append("  provider states (Pact): POST ").append(server.baseUrl()).append(ProviderStateEndpoint.PATH)
        .append(" {\"state\": \"...\", \"action\": \"setup\"}\n");
    System.err.println(banner);
    LOG.atWarn().addKeyValue("base_url", server.baseUrl())
        .log("fixtures mode: published test accounts and a provider-state endpoint");
    return server;
  }

  /**
   * A port already taken is one line and touches no store: checked before the store is opened (Jetty binds
   * with SO_REUSEADDR, so the probe does too).
   */
  private static void requirePortFree(ServerConfig config) {
    requirePortFree(config, config.port());
    config.http().managementPort().ifPresent(port -> requirePortFree(config, port));
  }

  private static void requirePortFree(ServerConfig config, int port) {
    if (port == 0) {
      return;
    }
    try (var probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(config.host(), port));
    } catch (IOException e) {
      throw cannotListen(config, port, e);
    }
  }

  /** Starts, or closes the store and fails in one line when the port was taken meanwhile. */
  private static MeshyAuthServer startOrFail(ServerConfig config, Supplier<MeshyAuthServer> start, Stores stores) {
    try {
      return start.get();
    } catch (RuntimeException e) {
      stores.close();
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof BindException) {
          throw cannotListen(config, config.port(), cause);
        }
      }
      throw e;
    }
  }

  private static CommandFailure cannotListen(ServerConfig config, int port, Throwable why) {
    var option = port == config.port() ? "--port" : SettingKeys.MANAGEMENT_PORT;
    return new CommandFailure("cannot listen on " + config.host() + ":" + port + ": "
        + (why.getMessage() == null ? why.getClass().getSimpleName() : why.getMessage())
        + " (another process has the port? choose another with " + option + ")", ExitCodes.FAILED);
  }

  Settings settings() {
    return settingsOptions.settings(optionOverrides());
  }

  private Map<String, String> optionOverrides() {
    var overrides = new LinkedHashMap<String, String>();
    Optional.ofNullable(host).ifPresent(value -> overrides.put(SettingKeys.HOST, value));
    Optional.ofNullable(port).ifPresent(value -> overrides.put(SettingKeys.PORT, value.toString()));
    Optional.ofNullable(issuer).ifPresent(value -> overrides.put(SettingKeys.ISSUER_BASE_URL, value));
    Optional.ofNullable(logFormat).ifPresent(value -> overrides.put(SettingKeys.LOG_FORMAT, value));
    return overrides;
  }

  /** The help's footer: every setting, since only a few have options of their own. */
  static String settingsFooter() {
    var footer = new StringBuilder("%nEvery setting, in a --config file or as an environment variable "
        + "(options above win; 'meshy-auth config' shows the values in effect; the README explains each):%n");
    SettingKeys.ALL.forEach(key -> footer.append(String.format("  %-36s %s%%n", key, Settings.environmentName(key))));
    return footer.toString();
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
