package io.meshyauth.client;

import feign.FeignException;
import feign.Request;
import feign.RetryableException;
import feign.Retryer;
import io.meshyauth.client.generated.ApiClient;
import io.meshyauth.client.generated.api.TokenApi;
import io.meshyauth.client.generated.api.UsersApi;
import io.meshyauth.client.generated.model.AnonymousRegistration;
import io.meshyauth.client.generated.model.TokenResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;

/**
 * The entry point of the SDK, shaped like MeshyDB's: {@code MeshyClient.initialize(account, publicKey)}, then
 * a login that returns a {@link MeshyConnection}. Thread-safe; one instance shares one HTTP connection pool.
 */
public final class MeshyClient {
  static final String DEFAULT_BASE_URL = "http://localhost:8080";
  static final Duration DEFAULT_REFRESH_SKEW = Duration.ofSeconds(60);
  // what MeshyDB documents for its login; offline_access yields the refresh token
  private static final String LOGIN_SCOPE = "meshy.api offline_access";
  private static final String ANONYMOUS_PASSWORD = "nopassword";
  private static final String PASSWORD_GRANT = "password";
  private static final String REFRESH_GRANT = "refresh_token";
  private static final String REFRESH_TOKEN_HINT = "refresh_token";

  private final String accountName;
  private final String publicKey;
  private final String baseUrl;
  private final TokenApi api;
  private final UsersApi users;
  private final RetryPolicy retryPolicy;
  private final Clock clock;
  private final Duration refreshSkew;

  private MeshyClient(Builder builder, String baseUrl, TokenApi api, UsersApi users) {
    this.accountName = builder.accountName;
    this.publicKey = builder.publicKey;
    this.baseUrl = baseUrl;
    this.api = api;
    this.users = users;
    this.retryPolicy = builder.retryPolicy;
    this.clock = builder.clock;
    this.refreshSkew = builder.refreshSkew;
  }

  /** A client for the server at {@code MESHY_AUTH_URL}, or {@value #DEFAULT_BASE_URL} when it is not set. */
  public static MeshyClient initialize(String accountName, String publicKey) {
    return builder(accountName, publicKey).build();
  }

  public static Builder builder(String accountName, String publicKey) {
    return new Builder(accountName, publicKey);
  }

  public MeshyConnection loginWithPassword(String username, String password) {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    var tokens = tokens(() -> api.token(accountName, publicKey, PASSWORD_GRANT, username, password, LOGIN_SCOPE,
        null), LOGIN_SCOPE);
    return new MeshyConnection(this, tokens);
  }

  /**
   * Registers an anonymous user (MeshyDB's {@code registerAnonymousUser}); the account must allow it. Log in
   * with {@link #loginAnonymously(String)} afterwards.
   */
  public AnonymousUser registerAnonymousUser(String username) {
    Objects.requireNonNull(username, "username");
    var registered = send(() -> users.registerAnonymousUser(accountName,
        new AnonymousRegistration().username(username)));
    return new AnonymousUser(registered.getId(), registered.getUsername());
  }

  /** Registers an anonymous user under a random name, as MeshyDB's SDKs do when given none. */
  public AnonymousUser registerAnonymousUser() {
    return registerAnonymousUser(UUID.randomUUID().toString());
  }

  /** Anonymous users log in with the password grant and MeshyDB's static password. */
  public MeshyConnection loginAnonymously(String username) {
    return loginWithPassword(username, ANONYMOUS_PASSWORD);
  }

  public MeshyConnection loginWithRefresh(String refreshToken) {
    return new MeshyConnection(this, refresh(refreshToken, ""));
  }

  MeshyConnection.Tokens refresh(String refreshToken, String previousScope) {
    Objects.requireNonNull(refreshToken, "refreshToken");
    return tokens(() -> api.token(accountName, publicKey, REFRESH_GRANT, null, null, null, refreshToken),
        previousScope);
  }

  void revoke(String refreshToken) {
    send(() -> {
      api.revoke(accountName, refreshToken, REFRESH_TOKEN_HINT, publicKey);
      return null;
    });
  }

  Clock clock() {
    return clock;
  }

  Duration refreshSkew() {
    return refreshSkew;
  }

  String accountName() {
    return accountName;
  }

  /** RFC 6749 section 5.1: a response without scope granted what was asked for. */
  private MeshyConnection.Tokens tokens(Supplier<TokenResponse> request, String requestedScope) {
    TokenResponse response = send(request);
    return new MeshyConnection.Tokens(response.getAccessToken(), Optional.ofNullable(response.getRefreshToken()),
        clock.instant().plusSeconds(response.getExpiresIn()),
        Optional.ofNullable(response.getScope()).orElse(requestedScope));
  }

  private <T> T send(Supplier<T> request) {
    return retryPolicy.run(() -> {
      try {
        return request.get();
      } catch (RetryableException e) {
        // with Retryer.NEVER_RETRY and our ErrorDecoder, only an I/O failure gets here; the Feign exception
        // is not kept as cause because its request holds the form, password included
        throw new MeshyAuthException(0, "Could not reach the token service at " + baseUrl, e.getCause());
      } catch (FeignException e) {
        throw new MeshyAuthException(Math.max(e.status(), 0), "Unreadable answer from the token service at "
            + baseUrl, e.getCause());
      }
    });
  }

  @Override
  public String toString() {
    return "MeshyClient[account=" + accountName + ", baseUrl=" + baseUrl + ", retryPolicy=" + retryPolicy + "]";
  }

  public static final class Builder {
    private final String accountName;
    private final String publicKey;
    private String baseUrl = Optional.ofNullable(System.getenv("MESHY_AUTH_URL"))
        .filter(url -> !url.isBlank())
        .orElse(DEFAULT_BASE_URL);
    private Duration connectTimeout;
    private Duration readTimeout;
    private OkHttpClient okHttpClient;
    private RetryPolicy retryPolicy = RetryPolicy.none();
    private Clock clock = Clock.systemUTC();
    private Duration refreshSkew = DEFAULT_REFRESH_SKEW;

    private Builder(String accountName, String publicKey) {
      this.accountName = Objects.requireNonNull(accountName, "accountName");
      this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
    }

    public Builder baseUrl(String url) {
      this.baseUrl = Objects.requireNonNull(url, "url");
      return this;
    }

    public Builder connectTimeout(Duration d) {
      this.connectTimeout = Objects.requireNonNull(d, "connectTimeout");
      return this;
    }

    public Builder readTimeout(Duration d) {
      this.readTimeout = Objects.requireNonNull(d, "readTimeout");
      return this;
    }

    /** Requests go through this client, sharing its connection pool; timeouts set here apply on top. */
    public Builder okHttpClient(OkHttpClient client) {
      this.okHttpClient = Objects.requireNonNull(client, "okHttpClient");
      return this;
    }

    public Builder retryPolicy(RetryPolicy p) {
      this.retryPolicy = Objects.requireNonNull(p, "retryPolicy");
      return this;
    }

    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c, "clock");
      return this;
    }

    /** How long before its expiry an access token is refreshed; 60 s unless set. */
    public Builder refreshSkew(Duration d) {
      if (d.isNegative()) {
        throw new IllegalArgumentException("refreshSkew must not be negative, was " + d);
      }
      this.refreshSkew = d;
      return this;
    }

    public MeshyClient build() {
      var http = okHttpClient != null ? okHttpClient : new OkHttpClient();
      if (connectTimeout != null || readTimeout != null) {
        // newBuilder() shares the connection pool and dispatcher of the original
        var adjusted = http.newBuilder();
        if (connectTimeout != null) {
          adjusted.connectTimeout(connectTimeout);
        }
        if (readTimeout != null) {
          adjusted.readTimeout(readTimeout);
        }
        http = adjusted.build();
      }
      var url = baseUrl.replaceAll("/+$", "");
      var apiClient = new ApiClient().setBasePath(url);
      apiClient.getFeignBuilder()
          .client(new feign.okhttp.OkHttpClient(http))
          // Options equal to the client's own settings, or feign-okhttp would derive a client per request
          .options(new Request.Options(Duration.ofMillis(http.connectTimeoutMillis()),
              Duration.ofMillis(http.readTimeoutMillis()), http.followRedirects()))
          .retryer(Retryer.NEVER_RETRY)
          .errorDecoder(new ErrorResponses(apiClient.getObjectMapper()));
      return new MeshyClient(this, url, apiClient.buildClient(TokenApi.class), apiClient.buildClient(UsersApi.class));
    }
  }
}
