package io.meshyauth.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import feign.FeignException;
import feign.Request;
import feign.RetryableException;
import feign.Retryer;
import io.meshyauth.client.generated.ApiClient;
import io.meshyauth.client.generated.api.TokenApi;
import io.meshyauth.client.generated.api.UsersApi;
import io.meshyauth.client.generated.model.AnonymousRegistration;
import io.meshyauth.client.generated.model.ForgotPassword;
import io.meshyauth.client.generated.model.RegisterUser;
import io.meshyauth.client.generated.model.ResetPassword;
import io.meshyauth.client.generated.model.SecurityQuestionAnswer;
import io.meshyauth.client.generated.model.TokenResponse;
import io.meshyauth.client.generated.model.VerificationCheck;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;

/**
 * The entry point of the SDK, shaped like MeshyDB's: {@code MeshyClient.initialize(account, publicKey)}, then
 * a login that returns a {@link MeshyConnection}. A service names its confidential client's id in the public key's
 * place and logs in with {@link #loginWithClientCredentials(String)}, which returns a {@link ServiceConnection}.
 * Thread-safe; one instance shares one HTTP connection pool.
 */
public final class MeshyClient {
  static final String DEFAULT_BASE_URL = "http://localhost:8080";
  static final Duration DEFAULT_REFRESH_SKEW = Duration.ofSeconds(60);
  // what MeshyDB documents for its login; offline_access yields the refresh token
  private static final String LOGIN_SCOPE = "meshy.api offline_access";
  private static final String ANONYMOUS_PASSWORD = "nopassword";
  private static final String PASSWORD_GRANT = "password";
  private static final String REFRESH_GRANT = "refresh_token";
  private static final String CLIENT_CREDENTIALS_GRANT = "client_credentials";
  private static final String REFRESH_TOKEN_HINT = "refresh_token";

  private final String accountName;
  private final String publicKey;
  private final String baseUrl;
  private final TokenApi api;
  private final UsersApi users;
  // an ApiClient per connection, its Authorization header the supplier's value (a bearer, Basic credentials)
  private final Function<Supplier<String>, ApiClient> authorized;
  private final ClientAuthentication clientAuthentication;
  private final RetryPolicy retryPolicy;
  private final Clock clock;
  private final Duration refreshSkew;

  private MeshyClient(Builder builder, String baseUrl, TokenApi api, UsersApi users,
      Function<Supplier<String>, ApiClient> authorized) {
    this.accountName = builder.accountName;
    this.publicKey = builder.publicKey;
    this.baseUrl = baseUrl;
    this.api = api;
    this.users = users;
    this.authorized = authorized;
    this.retryPolicy = builder.retryPolicy;
    this.clock = builder.clock;
    this.refreshSkew = builder.refreshSkew;
    this.clientAuthentication = builder.clientAuthentication;
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
    var tokens = tokens(() -> api.token(accountName, PASSWORD_GRANT, publicKey, null, username, password,
        LOGIN_SCOPE, null), LOGIN_SCOPE);
    return new MeshyConnection(this, tokens);
  }

  /**
   * Logs in as a service (RFC 6749 section 4.4): the client this MeshyClient was built for is a confidential client
   * allowed the client_credentials grant, and {@code clientSecret} is one of its secrets. The token is the client's
   * own, with no user, and carries every scope the client is allowed. The secret goes in the Basic scheme unless the
   * builder chose {@link ClientAuthentication#CLIENT_SECRET_POST}. A wrong secret or an unknown client is an
   * {@link OAuthErrorException} {@code invalid_client} with status 401.
   */
  public ServiceConnection loginWithClientCredentials(String clientSecret) {
    Objects.requireNonNull(clientSecret, "clientSecret");
    return login(serviceCredentials(clientSecret), Optional.empty());
  }

  /** As {@link #loginWithClientCredentials(String)}, asking for {@code scope} (space-separated) only. */
  public ServiceConnection loginWithClientCredentials(String clientSecret, String scope) {
    Objects.requireNonNull(clientSecret, "clientSecret");
    Objects.requireNonNull(scope, "scope");
    return login(serviceCredentials(clientSecret), Optional.of(scope));
  }

  private ServiceConnection login(ServiceCredentials credentials, Optional<String> scope) {
    return new ServiceConnection(this, credentials, scope, clientCredentials(credentials, scope));
  }

  /**
   * How a service's requests carry its credentials: in the Basic header their API adds, or as the form's
   * {@code client_id} and {@code client_secret} (null where the header carries them). Made once per login, so that
   * each request does not build an API of its own.
   */
  record ServiceCredentials(TokenApi api, String formClientId, String formClientSecret) {
    @Override
    public String toString() {
      return "ServiceCredentials[formClientId=" + formClientId + "]";
    }
  }

  private ServiceCredentials serviceCredentials(String clientSecret) {
    return switch (clientAuthentication) {
      case CLIENT_SECRET_BASIC -> new ServiceCredentials(basic(clientSecret, TokenApi.class), null, null);
      case CLIENT_SECRET_POST -> new ServiceCredentials(api, publicKey, clientSecret);
    };
  }

  MeshyConnection.Tokens clientCredentials(ServiceCredentials credentials, Optional<String> scope) {
    return tokens(() -> credentials.api().token(accountName, CLIENT_CREDENTIALS_GRANT, credentials.formClientId(),
        credentials.formClientSecret(), null, null, scope.orElse(null), null), scope.orElse(""));
  }

  Introspection introspect(ServiceCredentials credentials, String token) {
    return Introspection.of(send(() -> credentials.api().introspect(accountName, token, null,
        credentials.formClientId(), credentials.formClientSecret())));
  }

  /** An API whose requests carry the client's id and secret in the Basic scheme (RFC 6749 section 2.3.1). */
  private <T extends ApiClient.Api> T basic(String clientSecret, Class<T> type) {
    var credentials = URLEncoder.encode(publicKey, StandardCharsets.UTF_8) + ":"
        + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8);
    var header = "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    return authorized.apply(() -> header).buildClient(type);
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

  /**
   * Registers a user with a password (MeshyDB's {@code registerUser}); the account must allow public registration.
   * Where the account verifies new users by {@code email} or {@code text}, the user cannot log in yet: a code is on
   * its way, and the answer is the hash to {@link #verify} it with. Where it verifies by {@code question} or not at
   * all, the user can log in at once and the answer is empty (MeshyDB's .NET SDK answers null).
   *
   * @throws IllegalArgumentException when the user is verified, active or holds roles: only an administrator
   *     creates such a user ({@link UsersService#create})
   */
  public Optional<VerificationHash> registerUser(NewUser user) {
    Objects.requireNonNull(user, "user");
    if (user.administered()) {
      throw new IllegalArgumentException("Only an administrator's users().create makes a user verified, active or "
          + "a holder of roles; registration does not.");
    }
    var body = new RegisterUser()
        .username(user.username())
        .newPassword(user.newPassword())
        .firstName(user.firstName().orElse(null))
        .lastName(user.lastName().orElse(null))
        .phoneNumber(user.phoneNumber().orElse(null))
        .emailAddress(user.emailAddress().orElse(null))
        .securityQuestions(answers(user.securityQuestions()));
    return Optional.ofNullable(send(() -> users.registerUser(accountName, body))).map(VerificationHash::of);
  }

  /** Whether a user of that name exists in the account (MeshyDB's {@code checkUserExist}). */
  public boolean checkUserExist(String username) {
    Objects.requireNonNull(username, "username");
    return Boolean.TRUE.equals(send(() -> users.checkUserExists(accountName, username)).getExists());
  }

  /** Starts a password reset with the user's first question, or a code to its contact. */
  public VerificationHash forgotPassword(String username) {
    return forgotPassword(username, 1);
  }

  /**
   * Starts a password reset (MeshyDB's {@code forgotPassword}): a code goes to the user's e-mail address or phone,
   * or, where the account verifies by security question, {@code attempt} picks the question, which is the answer's
   * {@link VerificationHash#hint()}. An unknown username is a {@link NotFoundException}, unless the account hides
   * unknown users.
   */
  public VerificationHash forgotPassword(String username, int attempt) {
    Objects.requireNonNull(username, "username");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be at least 1, was " + attempt);
    }
    return VerificationHash.of(send(() -> users.forgotPassword(accountName,
        new ForgotPassword().username(username).attempt(attempt))));
  }

  /**
   * Sets a new password with the code (or the security answer) of a {@link #forgotPassword} (MeshyDB's
   * {@code resetPassword}). Works once; every refresh token of the user ends.
   */
  public void resetPassword(VerificationHash hash, String verificationCode, String newPassword) {
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(verificationCode, "verificationCode");
    Objects.requireNonNull(newPassword, "newPassword");
    var body = new ResetPassword()
        .username(hash.username())
        .attempt(hash.attempt())
        .hash(hash.hash())
        .expires(hash.expires().toString())
        .hint(hash.hint().orElse(null))
        .verificationCode(verificationCode)
        .newPassword(newPassword);
    send(() -> {
      users.resetPassword(accountName, body);
      return null;
    });
  }

  /**
   * Whether the code (or security answer) is right for the hash, changing nothing (MeshyDB's {@code checkHash}). A
   * wrong one counts against the user's budget of failed checks.
   */
  public boolean checkHash(VerificationHash hash, String verificationCode) {
    return Boolean.TRUE.equals(send(() -> users.checkHash(accountName, check(hash, verificationCode))).getIsValid());
  }

  /** Verifies a new user with the code of its registration (MeshyDB's {@code verify}); it can log in afterwards. */
  public void verify(VerificationHash hash, String verificationCode) {
    var body = check(hash, verificationCode);
    send(() -> {
      users.verifyUser(accountName, body);
      return null;
    });
  }

  private static VerificationCheck check(VerificationHash hash, String verificationCode) {
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(verificationCode, "verificationCode");
    return new VerificationCheck()
        .username(hash.username())
        .attempt(hash.attempt())
        .hash(hash.hash())
        .expires(hash.expires().toString())
        .hint(hash.hint().orElse(null))
        .verificationCode(verificationCode);
  }

  static List<SecurityQuestionAnswer> answers(List<SecurityQuestion> questions) {
    return questions.stream()
        .map(q -> new SecurityQuestionAnswer().question(q.question()).answer(q.answer()))
        .toList();
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
    return tokens(() -> api.token(accountName, REFRESH_GRANT, publicKey, null, null, null, null, refreshToken),
        previousScope);
  }

  void revoke(String refreshToken) {
    send(() -> {
      api.revoke(accountName, refreshToken, REFRESH_TOKEN_HINT, publicKey, null);
      return null;
    });
  }

  Clock clock() {
    return clock;
  }

  /** An API whose requests carry {@code accessToken}'s token, asked for anew for each request. */
  <T extends ApiClient.Api> T authorized(Supplier<String> accessToken, Class<T> api) {
    // RFC 6750 section 2.1
    return authorized.apply(() -> "Bearer " + accessToken.get()).buildClient(api);
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

  <T> T send(Supplier<T> request) {
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
    private ClientAuthentication clientAuthentication = ClientAuthentication.CLIENT_SECRET_BASIC;

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

    /**
     * How a confidential client sends its secret ({@link #loginWithClientCredentials(String)} and introspection):
     * {@link ClientAuthentication#CLIENT_SECRET_BASIC} unless set.
     */
    public Builder clientAuthentication(ClientAuthentication method) {
      this.clientAuthentication = Objects.requireNonNull(method, "clientAuthentication");
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
      var shared = http;
      var apiClient = apiClient(url, shared);
      Function<Supplier<String>, ApiClient> authorized = authorization -> {
        var withAuthorization = apiClient(url, shared);
        withAuthorization.getFeignBuilder().requestInterceptor(
            template -> template.header("Authorization", authorization.get()));
        return withAuthorization;
      };
      return new MeshyClient(this, url, apiClient.buildClient(TokenApi.class), apiClient.buildClient(UsersApi.class),
          authorized);
    }

    private static ApiClient apiClient(String url, OkHttpClient http) {
      var apiClient = new ApiClient().setBasePath(url);
      // a field the SDK has no value for is left out, not sent as null: the document declares none nullable
      apiClient.getObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
      apiClient.getFeignBuilder()
          .client(new feign.okhttp.OkHttpClient(http))
          // Options equal to the client's own settings, or feign-okhttp would derive a client per request
          .options(new Request.Options(Duration.ofMillis(http.connectTimeoutMillis()),
              Duration.ofMillis(http.readTimeoutMillis()), http.followRedirects()))
          .retryer(Retryer.NEVER_RETRY)
          .errorDecoder(new ErrorResponses(apiClient.getObjectMapper()));
      return apiClient;
    }
  }
}
