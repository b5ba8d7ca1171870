package io.meshyauth.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.RequestLogger;
import io.javalin.json.JavalinJackson;
import io.meshyauth.server.courier.Courier;
import io.meshyauth.server.courier.Message;
import io.meshyauth.server.courier.RenderedMessage;
import io.meshyauth.server.errors.ApiError;
import io.meshyauth.server.events.AuditLog;
import io.meshyauth.server.events.SecurityEvents;
import io.meshyauth.server.generated.api.AdministrationApi;
import io.meshyauth.server.generated.api.DiscoveryApi;
import io.meshyauth.server.generated.api.DocumentationApi;
import io.meshyauth.server.generated.api.HealthApi;
import io.meshyauth.server.generated.api.SelfApi;
import io.meshyauth.server.generated.api.TokenApi;
import io.meshyauth.server.generated.api.UsersApi;
import io.meshyauth.server.limit.AccountRequestLimiter;
import io.meshyauth.server.limit.AddressLimiter;
import io.meshyauth.server.limit.BucketSource;
import io.meshyauth.server.limit.InMemoryBuckets;
import io.meshyauth.server.limit.LoginThrottle;
import io.meshyauth.server.limit.RateLimitExceededException;
import io.meshyauth.server.limit.StoredBuckets;
import io.meshyauth.server.limit.VerificationThrottle;
import io.meshyauth.server.metrics.ServerMetrics;
import io.meshyauth.server.oauth.ClientAuthenticator;
import io.meshyauth.server.oauth.GrantContext;
import io.meshyauth.server.oauth.Grants;
import io.meshyauth.server.oauth.IntrospectionHandler;
import io.meshyauth.server.oauth.RevocationHandler;
import io.meshyauth.server.oauth.TokenMinter;
import io.meshyauth.server.password.Argon2Implementation;
import io.meshyauth.server.password.Argon2PasswordHasher;
import io.meshyauth.server.store.Stores;
import io.meshyauth.server.token.AccessTokenIssuer;
import io.meshyauth.server.token.AccessTokenVerifier;
import io.meshyauth.server.token.RefreshTokens;
import io.meshyauth.server.token.SigningImplementation;
import io.meshyauth.server.token.SigningKeys;
import io.meshyauth.server.users.AnonymousRegistrationHandler;
import io.meshyauth.server.users.Authorizer;
import io.meshyauth.server.users.RoleAdministration;
import io.meshyauth.server.users.SelfService;
import io.meshyauth.server.users.SignUp;
import io.meshyauth.server.users.UserAdministration;
import io.meshyauth.server.users.VerificationCodes;
import io.meshyauth.server.web.AccountScope;
import io.meshyauth.server.web.AdministrationEndpoint;
import io.meshyauth.server.web.ClientAddresses;
import io.meshyauth.server.web.DiscoveryEndpoint;
import io.meshyauth.server.web.DocsEndpoint;
import io.meshyauth.server.web.ErrorResponses;
import io.meshyauth.server.web.HealthEndpoint;
import io.meshyauth.server.web.JettyErrors;
import io.meshyauth.server.web.MetricsEndpoint;
import io.meshyauth.server.web.RequestDeadline;
import io.meshyauth.server.web.RequestLog;
import io.meshyauth.server.web.SelfEndpoint;
import io.meshyauth.server.web.TokenEndpoint;
import io.meshyauth.server.web.TokenRequestMetrics;
import io.meshyauth.server.web.UsersEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running server: the generated routes bound to the grant logic over the given stores. */
public final class MeshyAuthServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MeshyAuthServer.class);
  /**
   * Jetty's thread pool pads its queue by this many references; unset, Jetty starts the platform MBean server
   * (every MXBean, Flight Recorder's included: about 0.1 s of a start) only to ask whether oops are compressed.
   * 16 is its answer when they are (64-byte cache lines, 4-byte references), and pads a full line when not.
   */
  /** What the key of verification hashes is derived for (see {@link Stores#secretKey}). */
  static final String VERIFICATION_KEY_PURPOSE = "verification-hash v1";
  static final String JETTY_REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";

  static {
    if (System.getProperty(JETTY_REFERENCES_PER_CACHE_LINE) == null) {
      System.setProperty(JETTY_REFERENCES_PER_CACHE_LINE, "16");
    }
  }

  private final Javalin app;
  private final String scheme;
  private final Stores stores;
  private final Provisioning provisioning;
  private final Housekeeping housekeeping;
  /** The listener that serves /metrics when {@code server.management-port} is set. */
  private final Optional<Javalin> management;
  private final ServerMetrics metrics;
  private final SigningImplementation signing;
  /** Delivers the outbox's codes, where a channel (SMTP, the webhook) is configured. */
  private final Optional<Courier> courier;

  private MeshyAuthServer(Javalin app, String scheme, Stores stores, Provisioning provisioning,
      Housekeeping housekeeping, Optional<Javalin> management, ServerMetrics metrics, SigningImplementation signing,
      Optional<Courier> courier) {
    this.courier = courier;
    this.app = app;
    this.scheme = scheme;
    this.stores = stores;
    this.provisioning = provisioning;
    this.housekeeping = housekeeping;
    this.management = management;
    this.metrics = metrics;
    this.signing = signing;
  }

  /**
   * Starts on the given stores. The security budgets (failed logins, registrations) live in the store when it
   * keeps buckets, so that every process on it counts against the same budgets; the account request limits
   * live there too when several nodes share the database (PostgreSQL), in this process otherwise.
   */
  public static MeshyAuthServer start(ServerConfig config, Stores stores) {
    return start(config, stores, routes -> { });
  }

  /** As {@link #start(ServerConfig, Stores)}, with {@code extraRoutes} besides the document's (serve --fixtures). */
  public static MeshyAuthServer startWithRoutes(ServerConfig config, Stores stores, Consumer<RoutesConfig> extraRoutes) {
    return start(config, stores, extraRoutes);
  }

  private static MeshyAuthServer start(ServerConfig config, Stores stores, Consumer<RoutesConfig> extraRoutes) {
    var reasons = config.issuerRequiredBecause();
    if (config.issuerBaseUrl().isEmpty() && !reasons.isEmpty()) {
      throw new IllegalArgumentException("an issuer base URL is required: " + String.join(" and ", reasons));
    }
    var clock = config.clock();
    var metrics = new ServerMetrics();
    stores.bindMetrics(metrics.registry());
    // every security event once, to the audit log and the metrics
    var events = SecurityEvents.toAll(new AuditLog(), metrics.securityEvents());
    var hasher = new Argon2PasswordHasher(config.argon2(), Argon2Implementation.choose(config.nativeCrypto()),
        metrics.registry());
    LOG.info("password hashing: {}", hasher.description());
    var signing = SigningImplementation.choose(config.nativeCrypto());
    var keys = new SigningKeys(stores.signingKeys(), clock, config.keyRotationPeriod(), events, signing);
    var holder = new Object() {
      Javalin app;
    };
    // the issuer defaults to where the server listens, known only once it is bound
    var issuer = new AccessTokenIssuer(keys, () -> config.issuerBaseUrl()
        .orElseGet(() -> config.http().scheme() + "://" + config.host() + ":" + holder.app.port()));
    var minter = new TokenMinter(issuer, new RefreshTokens(), clock);
    var inMemory = new InMemoryBuckets(config.maxTrackedBuckets());
    BucketSource stored = stores.buckets().<BucketSource>map(StoredBuckets::new).orElse(inMemory);
    var limiter = new AccountRequestLimiter(stores.sharedByNodes() ? stored : inMemory, events);
    var limits = config.limits();
    var throttle = new LoginThrottle(stored, limits.failedLogins(), events);
    var clients = new ClientAuthenticator(stores.accounts(),
        LoginThrottle.forClients(stored, limits.failedClientAuthentications(), events));
    var registrations = new AddressLimiter(stored, new RateLimitExceededException.Policy(
        "anonymous-registrations-per-ip", limits.registrationsPerIp(), limits.registrationWindow()),
        "Too many registrations from this address.", events);
    var addresses = ClientAddresses.trusting(config.trustedProxies());
    var accountScope = new AccountScope(stores.accounts(), limiter);
    var verifier = new AccessTokenVerifier(keys, issuer, clock, TokenMinter.AUDIENCE);
    var tokens = new TokenEndpoint(addresses,
        Grants.of(new GrantContext(stores.users(), stores.refreshTokens(), hasher, throttle, minter,
            config.refreshGraceWindow(), events), clients),
        new RevocationHandler(clients, stores.accounts(), stores.refreshTokens(), clock),
        new IntrospectionHandler(clients, stores.accounts(), stores.users(), stores.refreshTokens(), verifier, clock));
    var courierSettings = config.courier();
    Optional<Courier> courier = stores.outbox()
        .filter(outbox -> courierSettings.smtp().isPresent() || courierSettings.webhook().isPresent())
        .map(outbox -> new Courier(outbox, courierSettings, metrics.registry(), clock));
    // a server with no channel for a code (no courier.smtp.host, no courier.webhook.url) answers 503 and says why
    // in the request log: the request was fine, the operator has a setting to make
    var codeSender = new SignUp.CodeSender() {
      // serve --fixtures without a channel: every code is the published one, so nothing needs to reach anyone
      private final boolean discard = courier.isEmpty() && config.fixedVerificationCode().isPresent();

      @Override
      public void send(Message message) {
        if (discard) {
          return;
        }
        try {
          courier(message).queue(message);
        } catch (IllegalStateException e) {
          throw cannotSend(e);
        }
      }

      @Override
      public Optional<RenderedMessage> render(Message message) {
        if (discard) {
          return Optional.empty();
        }
        try {
          return Optional.of(courier(message).render(message));
        } catch (IllegalStateException e) {
          throw cannotSend(e);
        }
      }

      @Override
      public void queued(RenderedMessage message) {
        courier(message.message()).queuedInTransaction(message);
      }

      private Courier courier(Message message) {
        return courier.orElseThrow(() -> new IllegalStateException("no courier channel is configured "
            + "(courier.smtp.host or courier.webhook.url): a " + message.kind().id() + " code cannot be sent"));
      }

      private ApiError cannotSend(IllegalStateException e) {
        return ApiError.temporarilyUnavailable("Verification codes cannot be sent right now.", Duration.ofMinutes(1))
            .because(e.getMessage());
      }
    };
    var signUpLimits = limits.signUp();
    var signUp = new SignUp(stores.users(), hasher,
        new VerificationCodes(stores.secretKey(VERIFICATION_KEY_PURPOSE), signUpLimits.codeLength(),
            signUpLimits.codeLifetime(), config.fixedVerificationCode()),
        new VerificationThrottle(stored, new VerificationThrottle.Budgets(
            new RateLimitExceededException.Policy("failed-verifications-per-username",
                signUpLimits.failedVerificationsPerUsername(), signUpLimits.failedVerificationWindow()),
            new RateLimitExceededException.Policy("failed-verifications-per-ip",
                signUpLimits.failedVerificationsPerIp(), signUpLimits.failedVerificationWindow()),
            new RateLimitExceededException.Policy("codes-per-username", signUpLimits.codesPerUsername(),
                signUpLimits.failedVerificationWindow())), events),
        codeSender, clock, events);
    var users = new UsersEndpoint(registrations,
        new AddressLimiter(stored, new RateLimitExceededException.Policy("registrations-per-ip",
            signUpLimits.registrationsPerIp(), signUpLimits.registrationWindow()),
            "Too many registrations from this address.", events),
        new AddressLimiter(stored, new RateLimitExceededException.Policy("user-lookups-per-ip",
            signUpLimits.lookupsPerIp(), signUpLimits.lookupWindow()),
            "Too many username look-ups from this address.", events),
        addresses, new AnonymousRegistrationHandler(stores.users(), clock), signUp);
    var discovery = new DiscoveryEndpoint(stores.accounts(), issuer, keys);
    var self = new SelfEndpoint(new SelfService(stores.users(), verifier, hasher, throttle, clock, events),
        signUp, addresses);
    // stores of one process (tests) keep no roles and serve no administration
    var administration = stores.roles().map(roles -> new AdministrationEndpoint(new Authorizer(verifier),
        new UserAdministration(stores.users(), roles, signUp), new RoleAdministration(roles, clock)));
    var health = new HealthEndpoint(stores, config.readyTimeout());
    var docs = new DocsEndpoint();
    // MeshyDB's .NET SDK writes PascalCase property names: a body's names are matched case-insensitively
    ObjectMapper mapper = JsonMapper.builder().enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES).build()
        .setSerializationInclusion(JsonInclude.Include.NON_NULL)
        .registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    holder.app = Javalin.create(javalin -> {
      javalin.startup.showJavalinBanner = false;
      javalin.jetty.addConnector((server, http) -> connector(server, http, config, config.port()));
      javalin.http.maxRequestSize = config.maxRequestBytes();
      // a known path asked with another method is a 405 with Allow, not a 404
      javalin.http.prefer405over404 = true;
      // some MeshyDB .NET SDK versions post to /{accountName}//connect/revocation
      javalin.router.treatMultipleSlashesAsSingleSlash = true;
      javalin.jetty.modifyHttpConfiguration(http -> http.setUriCompliance(
          UriCompliance.DEFAULT.with("meshy-sdk-paths", UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT)));
      // stopping lets requests in flight finish, for at most the shutdown grace
      javalin.jetty.modifyServer(server -> {
        server.setStopTimeout(config.shutdownGrace().toMillis());
        // on two cores, handing each request from the selector to a pooled thread costs less than Jetty's reserved
        // threads, which take the selector over so that the thread that read a request runs it: 8% less CPU a
        // refresh at 32 clients (README, Performance). More cores keep Jetty's own choice, unmeasured here.
        if (Runtime.getRuntime().availableProcessors() <= 2
            && server.getThreadPool() instanceof QueuedThreadPool pool) {
          pool.setReservedThreads(0);
        }
        server.insertHandler(new GracefulHandler());
        // what Jetty refuses before our routes answers in the document's error schema too
        server.setErrorHandler(new JettyErrors(mapper));
        // past the limit, new connections wait in the operating system's accept queue, and kept-alive idle ones
        // are given no longer than a request may take
        var limit = new NetworkConnectionLimit(config.http().maxConnections(), server);
        limit.setEndPointIdleTimeout(config.http().requestTimeout().toMillis());
        server.addBean(limit);
      });
      javalin.jsonMapper(new JavalinJackson(mapper, false));
      var requestLog = new RequestLog(addresses);
      var tokenRequests = new TokenRequestMetrics(metrics.registry());
      javalin.requestLogger.http((ctx, millis) -> {
        requestLog.handle(ctx, millis);
        tokenRequests.handle(ctx, millis);
      });
      if (config.http().managementPort().isEmpty()) {
        MetricsEndpoint.register(javalin.routes, metrics);
      }
      accountScope.register(javalin.routes);
      TokenApi.bind(javalin.routes, tokens);
      UsersApi.bind(javalin.routes, users);
      DiscoveryApi.bind(javalin.routes, discovery);
      extraRoutes.accept(javalin.routes);
      SelfApi.bind(javalin.routes, self);
      // after users/me: a route of users/{id} would answer it otherwise
      administration.ifPresent(endpoint -> AdministrationApi.bind(javalin.routes, endpoint));
      HealthApi.bind(javalin.routes, health);
      DocumentationApi.bind(javalin.routes, docs);
      docs.register(javalin.routes);
      ErrorResponses.register(javalin.routes, config.maxRequestBytes());
      health.registerErrors(javalin.routes);
    });
    holder.app.start();
    Optional<Javalin> management;
    try {
      management = config.http().managementPort().stream()
          .mapToObj(port -> management(config, port, mapper, new RequestLog(addresses), metrics).start())
          .findFirst();
    } catch (RuntimeException e) {
      holder.app.stop();
      courier.ifPresent(Courier::close);
      metrics.close();
      throw e;
    }
    courier.ifPresent(Courier::start);
    return new MeshyAuthServer(holder.app, config.http().scheme(), stores,
        new Provisioning(stores, hasher, keys, config.accountDefaults(), clock, events),
        new Housekeeping(stores.refreshTokens(), stored, stores.outbox(), limits.signUp().outboxRetention(), clock,
            config.purgeInterval()), management, metrics,
        signing, courier);
  }

  /**
   * The listener of {@code server.management-port}: {@code /metrics} alone, on the API's address, with its TLS,
   * its request deadline and its answers in the document's error schemas for anything else.
   */
  private static Javalin management(ServerConfig config, int port, ObjectMapper mapper, RequestLogger requestLog,
      ServerMetrics metrics) {
    return Javalin.create(javalin -> {
      javalin.startup.showJavalinBanner = false;
      javalin.jetty.addConnector((server, http) -> connector(server, http, config, port));
      javalin.http.prefer405over404 = true;
      javalin.jetty.modifyServer(server -> {
        server.setStopTimeout(config.shutdownGrace().toMillis());
        server.setErrorHandler(new JettyErrors(mapper));
      });
      javalin.jsonMapper(new JavalinJackson(mapper, false));
      javalin.requestLogger.http(requestLog);
      MetricsEndpoint.register(javalin.routes, metrics);
      ErrorResponses.register(javalin.routes, config.maxRequestBytes());
    });
  }

  /** HTTP/1.1, over TLS when the configuration has a certificate; slow requests cut by the request deadline. */
  private static ServerConnector connector(Server server, HttpConfiguration http, ServerConfig config, int port) {
    var settings = config.http();
    var plain = new HttpConnectionFactory(http);
    ServerConnector connector;
    if (settings.tls().isPresent()) {
      http.addCustomizer(new SecureRequestCustomizer());
      connector = new ServerConnector(server,
          new SslConnectionFactory(settings.tls().get().sslContextFactory(), plain.getProtocol()), plain);
    } else {
      connector = new ServerConnector(server, plain);
    }
    connector.setHost(config.host());
    connector.setPort(port);
    connector.addBean(new RequestDeadline(settings.requestTimeout(), connector.getScheduler()));
    return connector;
  }

  public int port() {
    return app.port();
  }

  /** Where clients on this machine reach this server, e.g. {@code http://127.0.0.1:8080}. */
  public String baseUrl() {
    var host = boundAddress().getAddress();
    return scheme + "://" + (host.isAnyLocalAddress() ? "127.0.0.1" : hostText(boundAddress())) + ":" + port();
  }

  /** The address the server is bound to, e.g. {@code http://0.0.0.0:8080} when it listens on every interface. */
  public String boundUrl() {
    var address = boundAddress();
    // Java binds 0.0.0.0 as :: on a dual-stack machine; both mean every interface, and the operator wrote 0.0.0.0
    var host = address.getAddress().isAnyLocalAddress() && !connector().getHost().contains(":")
        ? connector().getHost() : hostText(address);
    return scheme + "://" + host + ":" + port();
  }

  private ServerConnector connector() {
    return (ServerConnector) app.jettyServer().server().getConnectors()[0];
  }

  private InetSocketAddress boundAddress() {
    var connector = connector();
    try {
      return (InetSocketAddress) ((ServerSocketChannel) connector.getTransport()).getLocalAddress();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String hostText(InetSocketAddress address) {
    var host = address.getAddress().getHostAddress();
    return host.contains(":") ? "[" + host.replaceAll("%.*$", "") + "]" : host;
  }

  /** Where Prometheus scrapes this server, e.g. {@code http://127.0.0.1:9090/metrics}. */
  public String metricsUrl() {
    var base = management.map(listener -> scheme + "://" + URI.create(baseUrl()).getHost() + ":" + listener.port())
        .orElseGet(this::baseUrl);
    return base + MetricsEndpoint.PATH;
  }

  /** Which ES256 signer this server's tokens are signed with, and why (for the start-up line). */
  public SigningImplementation signing() {
    return signing;
  }

  public Provisioning provisioning() {
    return provisioning;
  }

  public Stores stores() {
    return stores;
  }

  /** Stops taking requests, lets those in flight finish, then closes the stores it was given. */
  @Override
  public void close() {
    try {
      housekeeping.close();
      app.stop();
      management.ifPresent(Javalin::stop);
    } finally {
      courier.ifPresent(Courier::close);
      metrics.close();
      stores.close();
    }
  }
}
