package io.meshyauth.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.meshyauth.server.generated.api.DiscoveryApi;
import io.meshyauth.server.generated.api.SelfApi;
import io.meshyauth.server.generated.api.TokenApi;
import io.meshyauth.server.generated.api.UsersApi;
import io.meshyauth.server.limit.AccountRequestLimiter;
import io.meshyauth.server.limit.BucketSource;
import io.meshyauth.server.limit.InMemoryBuckets;
import io.meshyauth.server.limit.LoginThrottle;
import io.meshyauth.server.limit.PostgresBuckets;
import io.meshyauth.server.oauth.ClientAuthenticator;
import io.meshyauth.server.oauth.PasswordGrantHandler;
import io.meshyauth.server.oauth.RefreshGrantHandler;
import io.meshyauth.server.oauth.RevocationHandler;
import io.meshyauth.server.oauth.TokenMinter;
import io.meshyauth.server.password.Argon2PasswordHasher;
import io.meshyauth.server.store.Stores;
import io.meshyauth.server.token.AccessTokenIssuer;
import io.meshyauth.server.token.AccessTokenVerifier;
import io.meshyauth.server.token.RefreshTokens;
import io.meshyauth.server.token.SigningKeys;
import io.meshyauth.server.users.AnonymousRegistrationHandler;
import io.meshyauth.server.users.SelfService;
import io.meshyauth.server.web.DiscoveryEndpoint;
import io.meshyauth.server.web.ErrorResponses;
import io.meshyauth.server.web.RequestLog;
import io.meshyauth.server.web.SelfEndpoint;
import io.meshyauth.server.web.TokenEndpoint;
import io.meshyauth.server.web.UsersEndpoint;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.handler.GracefulHandler;

/** One running server: the generated routes bound to the grant logic over the given stores. */
public final class MeshyAuthServer implements AutoCloseable {
  private final Javalin app;
  private final Stores stores;
  private final Provisioning provisioning;
  private final Housekeeping housekeeping;

  private MeshyAuthServer(Javalin app, Stores stores, Provisioning provisioning, Housekeeping housekeeping) {
    this.app = app;
    this.stores = stores;
    this.provisioning = provisioning;
    this.housekeeping = housekeeping;
  }

  /**
   * Starts on the given stores. Rate limits live in the database when it is shared by several nodes
   * (PostgreSQL), in this process otherwise.
   */
  public static MeshyAuthServer start(ServerConfig config, Stores stores) {
    return start(config, stores, stores.sharedDataSource().<BucketSource>map(PostgresBuckets::new)
        .orElseGet(() -> new InMemoryBuckets(config.maxTrackedBuckets())));
  }

  /** Starts on the given stores, with limits in {@code buckets} (shared by several nodes when in PostgreSQL). */
  public static MeshyAuthServer start(ServerConfig config, Stores stores, BucketSource buckets) {
    var clock = config.clock();
    var hasher = new Argon2PasswordHasher(config.argon2());
    var keys = new SigningKeys(stores.signingKeys(), clock, config.keyRotationPeriod());
    var holder = new Object() {
      Javalin app;
    };
    // the issuer defaults to where the server listens, known only once it is bound
    var issuer = new AccessTokenIssuer(keys, () -> config.issuerBaseUrl()
        .orElseGet(() -> "http://" + config.host() + ":" + holder.app.port()));
    var clients = new ClientAuthenticator(stores.accounts());
    var minter = new TokenMinter(issuer, new RefreshTokens(), clock);
    var limiter = new AccountRequestLimiter(buckets);
    var login = config.loginLimits();
    var throttle = new LoginThrottle(buckets, login.failuresPerUsername(), login.failuresPerClientIp(),
        login.window());
    var tokens = new TokenEndpoint(stores.accounts(), limiter,
        new PasswordGrantHandler(clients, stores.users(), stores.refreshTokens(), hasher, throttle, minter),
        new RefreshGrantHandler(clients, stores.users(), stores.refreshTokens(), minter,
            config.refreshGraceWindow()),
        new RevocationHandler(stores.accounts(), stores.refreshTokens(), clock));
    var users = new UsersEndpoint(stores.accounts(), limiter,
        new AnonymousRegistrationHandler(stores.accounts(), stores.users(), clock));
    var discovery = new DiscoveryEndpoint(stores.accounts(), issuer, keys);
    var self = new SelfEndpoint(stores.accounts(), limiter, new SelfService(stores.accounts(), stores.users(),
        new AccessTokenVerifier(keys, issuer, clock, TokenMinter.AUDIENCE), hasher, throttle, clock));
    var mapper = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL)
        .registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    holder.app = Javalin.create(javalin -> {
      javalin.startup.showJavalinBanner = false;
      javalin.jetty.host = config.host();
      javalin.jetty.port = config.port();
      javalin.http.maxRequestSize = config.maxRequestBytes();
      // some MeshyDB .NET SDK versions post to /{accountName}//connect/revocation
      javalin.router.treatMultipleSlashesAsSingleSlash = true;
      javalin.jetty.modifyHttpConfiguration(http -> http.setUriCompliance(
          UriCompliance.DEFAULT.with("meshy-sdk-paths", UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT)));
      // stopping lets requests in flight finish, for at most the shutdown grace
      javalin.jetty.modifyServer(server -> {
        server.setStopTimeout(config.shutdownGrace().toMillis());
        server.insertHandler(new GracefulHandler());
      });
      javalin.jsonMapper(new JavalinJackson(mapper, false));
      javalin.requestLogger.http(new RequestLog());
      TokenApi.bind(javalin.routes, tokens);
      UsersApi.bind(javalin.routes, users);
      DiscoveryApi.bind(javalin.routes, discovery);
      SelfApi.bind(javalin.routes, self);
      ErrorResponses.register(javalin.routes);
      self.registerErrors(javalin.routes);
    });
    holder.app.start();
    return new MeshyAuthServer(holder.app, stores,
        new Provisioning(stores, hasher, keys, config.accountDefaults(), clock),
        new Housekeeping(stores.refreshTokens(), buckets, clock, config.purgeInterval()));
  }

  public int port() {
    return app.port();
  }

  /** Where clients reach this server, e.g. {@code http://127.0.0.1:8080}. */
  public String baseUrl() {
    var host = app.jettyServer().server().getURI().getHost();
    return "http://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : host) + ":" + port();
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
    } finally {
      stores.close();
    }
  }
}
