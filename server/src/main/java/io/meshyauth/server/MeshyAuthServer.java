package io.meshyauth.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import org.eclipse.jetty.http.UriCompliance;
import io.javalin.json.JavalinJackson;
import io.meshyauth.server.generated.api.TokenApi;
import io.meshyauth.server.limit.AccountRequestLimiter;
import io.meshyauth.server.limit.InMemoryBuckets;
import io.meshyauth.server.oauth.ClientAuthenticator;
import io.meshyauth.server.oauth.PasswordGrantHandler;
import io.meshyauth.server.oauth.RefreshGrantHandler;
import io.meshyauth.server.oauth.RevocationHandler;
import io.meshyauth.server.oauth.TokenMinter;
import io.meshyauth.server.password.Argon2PasswordHasher;
import io.meshyauth.server.store.Stores;
import io.meshyauth.server.token.AccessTokenIssuer;
import io.meshyauth.server.token.RefreshTokens;
import io.meshyauth.server.web.ErrorResponses;
import io.meshyauth.server.web.RequestLog;
import io.meshyauth.server.web.TokenEndpoint;

/** One running server: the generated routes bound to the grant logic over the given stores. */
public final class MeshyAuthServer implements AutoCloseable {
  private final Javalin app;
  private final Stores stores;
  private final Provisioning provisioning;
  private final AccessTokenIssuer accessTokens;

  private MeshyAuthServer(Javalin app, Stores stores, Provisioning provisioning, AccessTokenIssuer accessTokens) {
    this.app = app;
    this.stores = stores;
    this.provisioning = provisioning;
    this.accessTokens = accessTokens;
  }

  public static MeshyAuthServer start(ServerConfig config, Stores stores) {
    var hasher = new Argon2PasswordHasher(config.argon2());
    var issuerBase = config.issuerBaseUrl();
    var holder = new Object() {
      Javalin app;
    };
    // the issuer defaults to where the server listens, known only once it is bound
    var accessTokens = new AccessTokenIssuer(AccessTokenIssuer.generateKey(),
        () -> issuerBase.orElseGet(() -> "http://" + config.host() + ":" + holder.app.port()));
    var clients = new ClientAuthenticator(stores.accounts());
    var minter = new TokenMinter(accessTokens, new RefreshTokens(), config.clock());
    var endpoint = new TokenEndpoint(stores.accounts(), new AccountRequestLimiter(new InMemoryBuckets(InMemoryBuckets.DEFAULT_CAPACITY)),
        new PasswordGrantHandler(clients, stores.users(), stores.refreshTokens(), hasher, minter),
        new RefreshGrantHandler(clients, stores.users(), stores.refreshTokens(), minter),
        new RevocationHandler(stores.accounts(), stores.refreshTokens(), config.clock()));
    var mapper = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
    holder.app = Javalin.create(javalin -> {
      javalin.startup.showJavalinBanner = false;
      javalin.jetty.host = config.host();
      javalin.jetty.port = config.port();
      javalin.http.maxRequestSize = config.maxRequestBytes();
      // some MeshyDB .NET SDK versions post to /{accountName}//connect/revocation
      javalin.router.treatMultipleSlashesAsSingleSlash = true;
      javalin.jetty.modifyHttpConfiguration(http -> http.setUriCompliance(
          UriCompliance.DEFAULT.with("meshy-sdk-paths", UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT)));
      javalin.jsonMapper(new JavalinJackson(mapper, false));
      javalin.requestLogger.http(new RequestLog());
      TokenApi.bind(javalin.routes, endpoint);
      ErrorResponses.register(javalin.routes);
    });
    holder.app.start();
    return new MeshyAuthServer(holder.app, stores, new Provisioning(stores, hasher, config.clock()), accessTokens);
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

  public AccessTokenIssuer accessTokens() {
    return accessTokens;
  }

  /** Stops serving, then closes the stores it was given. */
  @Override
  public void close() {
    try {
      app.stop();
    } finally {
      stores.close();
    }
  }
}
