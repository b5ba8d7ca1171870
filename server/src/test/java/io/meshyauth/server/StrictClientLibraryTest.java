package io.meshyauth.server;

import static io.meshyauth.server.TestServer.ACCOUNT;
import static io.meshyauth.server.TestServer.CLIENT_ID;
import static io.meshyauth.server.TestServer.TOKEN_PATH;
import static io.meshyauth.server.TestServer.USERNAME;
import static io.meshyauth.server.TestServer.passwordForm;
import static io.meshyauth.server.TestServer.refreshForm;
import static io.meshyauth.server.TestServer.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.openid.connect.sdk.SubjectType;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import io.meshyauth.server.store.Client;
import io.meshyauth.server.token.ClientSecrets;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a strict OAuth 2.0 / OpenID Connect library (Nimbus oauth2-oidc-sdk) makes of the account's metadata and
 * tokens: both documents parse, and the tokens verify with the keys the documents point to.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(StoreKind.class)
class StrictClientLibraryTest {
  private static final String OIDC_PATH = "/" + ACCOUNT + "/.well-known/openid-configuration";
  private static final String RFC8414_PATH = "/.well-known/oauth-authorization-server/" + ACCOUNT;
  private static final String OPENID_SCOPE = "meshy.api offline_access openid";

  private final TestServer server;

  StrictClientLibraryTest(StoreKind store) {
    server = TestServer.start(store);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void theOpenIdConfigurationParsesAndAdvertisesNoFlowWeDoNotServe() throws Exception {
    var metadata = OIDCProviderMetadata.parse(server.http.get(OIDC_PATH).response().body());

    var issuer = server.server.baseUrl() + "/" + ACCOUNT;
    assertThat(metadata.getIssuer().getValue()).isEqualTo(issuer);
    assertThat(metadata.getUserInfoEndpointURI()).isEqualTo(URI.create(issuer + "/connect/userinfo"));
    assertThat(metadata.getSubjectTypes()).containsExactly(SubjectType.PUBLIC);
    assertThat(metadata.getIDTokenJWSAlgs()).containsExactly(JWSAlgorithm.ES256);
    assertThat(metadata.getGrantTypes()).containsExactlyInAnyOrder(GrantType.PASSWORD, GrantType.REFRESH_TOKEN,
        GrantType.CLIENT_CREDENTIALS);
    assertThat(metadata.getResponseTypes()).doesNotContain(ResponseType.TOKEN, ResponseType.CODE);
    assertThat(metadata.getTokenEndpointAuthMethods()).containsExactly(ClientAuthenticationMethod.NONE,
        ClientAuthenticationMethod.CLIENT_SECRET_BASIC, ClientAuthenticationMethod.CLIENT_SECRET_POST);
    assertThat(metadata.getIntrospectionEndpointURI()).isEqualTo(URI.create(issuer + "/connect/introspect"));
    assertThat(metadata.getIntrospectionEndpointAuthMethods()).containsExactly(
        ClientAuthenticationMethod.CLIENT_SECRET_BASIC, ClientAuthenticationMethod.CLIENT_SECRET_POST);
  }

  @Test
  void nimbusGetsAServiceTokenWithClientSecretBasicAndIntrospectsItWithClientSecretPost() throws Exception {
    var secret = ClientSecrets.newSecret(Instant.now());
    server.server.stores().accounts().createClient(new Client(ACCOUNT, "nimbus-service", true,
        Set.of("client_credentials"), Optional.empty(), List.of(secret.stored())));
    var metadata = OIDCProviderMetadata.parse(server.http.get(OIDC_PATH).response().body());
    var id = new ClientID("nimbus-service");

    var answer = TokenResponse.parse(new TokenRequest(metadata.getTokenEndpointURI(),
        new ClientSecretBasic(id, new Secret(secret.secret())), new ClientCredentialsGrant(), new Scope("meshy.api"))
        .toHTTPRequest().send());

    assertThat(answer.indicatesSuccess()).isTrue();
    var tokens = answer.toSuccessResponse().getTokens();
    assertThat(tokens.getRefreshToken()).isNull();
    var introspection = TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(
        metadata.getIntrospectionEndpointURI(), new ClientSecretPost(id, new Secret(secret.secret())),
        tokens.getAccessToken()).toHTTPRequest().send()).toSuccessResponse();
    assertThat(introspection.isActive()).isTrue();
    assertThat(introspection.getSubject().getValue()).isEqualTo("nimbus-service");
    assertThat(introspection.getClientID()).isEqualTo(id);
    assertThat(introspection.getScope()).isEqualTo(new Scope("meshy.api"));
  }

  @Test
  void theAuthorizationServerMetadataAtTheInsertedPathParsesAndSaysTheSame() throws Exception {
    var oidc = OIDCProviderMetadata.parse(server.http.get(OIDC_PATH).response().body());

    var answer = server.http.get(RFC8414_PATH);
    var metadata = AuthorizationServerMetadata.parse(answer.response().body());

    assertThat(answer.status()).isEqualTo(200);
    assertThat(metadata.getIssuer()).isEqualTo(oidc.getIssuer());
    assertThat(metadata.getTokenEndpointURI()).isEqualTo(oidc.getTokenEndpointURI());
    assertThat(metadata.getRevocationEndpointURI()).isEqualTo(oidc.getRevocationEndpointURI());
    assertThat(metadata.getJWKSetURI()).isEqualTo(oidc.getJWKSetURI());
    assertThat(metadata.getGrantTypes()).isEqualTo(oidc.getGrantTypes());
    assertThat(server.http.get("/.well-known/oauth-authorization-server/nobody").status()).isEqualTo(404);
  }

  @Test
  void accessTokensVerifyWithTheKeysTheAuthorizationServerMetadataPointsTo() throws Exception {
    var metadata = AuthorizationServerMetadata.parse(server.http.get(RFC8414_PATH).response().body());
    var processor = new DefaultJWTProcessor<SecurityContext>();
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256,
        JWKSourceBuilder.create(metadata.getJWKSetURI().toURL()).retrying(false).build()));
    processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>("meshy.api",
        new JWTClaimsSet.Builder().issuer(metadata.getIssuer().getValue()).claim("client_id", CLIENT_ID).build(),
        Set.of("sub", "exp", "iat", "jti")));

    var claims = processor.process(server.login().text("access_token"), null);

    assertThat(claims.getStringClaim("id")).isEqualTo(USERNAME);
  }

  @Test
  void anOpenIdLoginAndItsRefreshAnswerIdTokensForTheClient() throws Exception {
    var metadata = OIDCProviderMetadata.parse(server.http.get(OIDC_PATH).response().body());
    var validator = new IDTokenValidator(metadata.getIssuer(), new ClientID(CLIENT_ID), JWSAlgorithm.ES256,
        metadata.getJWKSetURI().toURL());
    var user = server.server.stores().users().findUser(ACCOUNT, USERNAME).orElseThrow();

    var login = server.http.postForm(TOKEN_PATH, with(passwordForm(), "scope", OPENID_SCOPE));
    var refresh = server.http.postForm(TOKEN_PATH, refreshForm(login.text("refresh_token")));

    for (var answer : java.util.List.of(login, refresh)) {
      var claims = validator.validate(SignedJWT.parse(answer.text("id_token")), null);
      assertThat(claims.getSubject().getValue()).isEqualTo(user.id());
      assertThat(claims.getAudience()).extracting(a -> a.getValue()).containsExactly(CLIENT_ID);
      assertThat(claims.getStringClaim("preferred_username")).isEqualTo(USERNAME);
    }
  }

  @Test
  void aGrantWithoutOpenIdHasNoIdToken() {
    var login = server.login();

    assertThat(login.status()).isEqualTo(200);
    assertThat(login.json().has("id_token")).isFalse();
  }
}
