package io.meshyauth.server.web;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.KeyUse;
import io.javalin.http.Context;
import io.meshyauth.server.errors.ApiError;
import io.meshyauth.server.generated.api.DiscoveryApi;
import io.meshyauth.server.generated.api.SelfApi;
import io.meshyauth.server.generated.api.TokenApi;
import io.meshyauth.server.generated.model.Jwk;
import io.meshyauth.server.generated.model.JwkSet;
import io.meshyauth.server.generated.model.ProviderMetadata;
import io.meshyauth.server.generated.model.TokenForm.GrantTypeEnum;
import io.meshyauth.server.store.Account;
import io.meshyauth.server.store.AccountStore;
import io.meshyauth.server.store.StoreUnavailableException;
import io.meshyauth.server.token.AccessTokenIssuer;
import io.meshyauth.server.token.SigningKeys;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * OpenID Connect Discovery and the JWK set, so resource servers can verify access tokens on their own. While the
 * store cannot be reached, both are served for the accounts this server has served them for already, from what
 * the store said last: resource servers go on verifying tokens meanwhile.
 */
public final class DiscoveryEndpoint implements DiscoveryApi {
  private final AccountStore accounts;
  private final Map<String, Account> lastSeen = new ConcurrentHashMap<>();
  private final AccessTokenIssuer issuer;
  private final SigningKeys keys;

  public DiscoveryEndpoint(AccountStore accounts, AccessTokenIssuer issuer, SigningKeys keys) {
    this.accounts = accounts;
    this.issuer = issuer;
    this.keys = keys;
  }

  /** RFC 6749 section 2.3.1's two ways a confidential client authenticates (OpenID Connect Core section 9). */
  private static final List<String> CLIENT_AUTHENTICATION = List.of("client_secret_basic", "client_secret_post");

  /** What the ID tokens and userinfo carry: OpenID Connect's standard claims, and MeshyDB's. */
  private static final List<String> CLAIMS = List.of("sub", "iss", "aud", "exp", "iat", "sid", "azp",
      "preferred_username", "given_name", "family_name", "id", "role", "permission");

  @Override
  public ProviderMetadata discovery(Context ctx, DiscoveryParameters parameters) {
    return metadata(ctx, parameters.accountName());
  }

  /** RFC 8414 section 3.1: the same facts at the well-known path with the issuer's path inserted after it. */
  @Override
  public ProviderMetadata authorizationServerMetadata(Context ctx, AuthorizationServerMetadataParameters parameters) {
    return metadata(ctx, parameters.accountName());
  }

  private ProviderMetadata metadata(Context ctx, String accountName) {
    var account = requireAccount(accountName);
    var base = issuer.issuerFor(account.name());
    ctx.header("Cache-Control", "public, max-age=300");
    return new ProviderMetadata()
        .issuer(base)
        .tokenEndpoint(endpoint(base, TokenApi.TOKEN_PATH))
        .revocationEndpoint(endpoint(base, TokenApi.REVOKE_PATH))
        .introspectionEndpoint(endpoint(base, TokenApi.INTROSPECT_PATH))
        .userinfoEndpoint(endpoint(base, SelfApi.USERINFO_PATH))
        .jwksUri(endpoint(base, JWKS_PATH))
        .grantTypesSupported(Arrays.stream(GrantTypeEnum.values()).map(GrantTypeEnum::getValue).toList())
        .scopesSupported(List.copyOf(account.allowedScopes().values()))
        // public clients authenticate with none (their client_id alone); confidential ones with a secret
        .tokenEndpointAuthMethodsSupported(withNone(CLIENT_AUTHENTICATION))
        .revocationEndpointAuthMethodsSupported(withNone(CLIENT_AUTHENTICATION))
        // RFC 7662 section 2.1: only a client that authenticates may introspect
        .introspectionEndpointAuthMethodsSupported(CLIENT_AUTHENTICATION)
        // there is no authorization endpoint, so no response type is served (OpenID Connect Discovery section 3
        // and RFC 8414 section 2 require the member; an empty list is the truth)
        .responseTypesSupported(List.of())
        .subjectTypesSupported(List.of("public"))
        .idTokenSigningAlgValuesSupported(List.of("ES256"))
        .claimsSupported(CLAIMS);
  }

  private static List<String> withNone(List<String> methods) {
    return Stream.concat(Stream.of("none"), methods.stream()).toList();
  }

  /** The URL of one of the document's account paths: the issuer is the base URL with the account's name. */
  private static String endpoint(String issuer, String path) {
    var account = "/{accountName}";
    if (!path.startsWith(account + "/")) {
      throw new IllegalStateException("not a path under the account: " + path);
    }
    return issuer + path.substring(account.length());
  }

  @Override
  public JwkSet jwks(Context ctx, JwksParameters parameters) {
    var account = requireAccount(parameters.accountName());
    // a new key is published this long (and a margin) before it signs: a cached set always knows the signing key
    ctx.header("Cache-Control", "public, max-age=" + SigningKeys.JWKS_MAX_AGE.toSeconds());
    var published = keys.publishedKeys(account.name()).getKeys().stream()
        .map(key -> key.toECKey())
        .map(key -> new Jwk()
            .kty(key.getKeyType().getValue())
            .kid(key.getKeyID())
            .use(KeyUse.SIGNATURE.identifier())
            .alg(JWSAlgorithm.ES256.getName())
            .crv(key.getCurve().getName())
            .x(key.getX().toString())
            .y(key.getY().toString()))
        .toList();
    return new JwkSet().keys(published);
  }

  private Account requireAccount(String accountName) {
    Optional<Account> account;
    try {
      account = accounts.findAccount(accountName);
    } catch (StoreUnavailableException e) {
      account = Optional.ofNullable(lastSeen.get(accountName));
      if (account.isEmpty()) {
        throw e;
      }
    }
    account.ifPresentOrElse(found -> lastSeen.put(accountName, found), () -> lastSeen.remove(accountName));
    return account.orElseThrow(() -> ApiError.notFound(ErrorResponses.NO_SUCH_ACCOUNT));
  }
}
