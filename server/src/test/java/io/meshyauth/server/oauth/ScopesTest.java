package io.meshyauth.server.oauth;

import static io.meshyauth.server.testing.OAuthErrors.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshyauth.server.store.Account;
import io.meshyauth.server.store.Client;
import io.meshyauth.server.values.Scope;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6749 section 3.3 at a login, section 6 at a refresh. "none" is a request that names no scope. */
class ScopesTest {
  /** Allows meshy.api, offline_access and openid. */
  private static final Account ACCOUNT = GrantFixture.account("acme", "acme-web");
  private static final AuthenticatedClient PUBLIC = new AuthenticatedClient(ACCOUNT,
      Client.publicClient("acme", "acme-web"));

  @ParameterizedTest(name = "asked [{0}], granted [{1}]")
  @CsvSource(nullValues = "none", value = {
      "none,                            meshy.api openid",
      "meshy.api,                       meshy.api",
      "meshy.api offline_access,        meshy.api offline_access",
      "openid offline_access meshy.api, meshy.api offline_access openid",
      "offline_access,                  offline_access",
  })
  void loginGetsWhatItAsksWithinTheAccountsScopesAndNoOfflineAccessUnlessAsked(String requested, String granted) {
    assertThat(Scopes.grant(PUBLIC, scope(requested))).isEqualTo(Scope.parse(granted));
  }

  @ParameterizedTest(name = "asked [{0}]")
  @CsvSource({"meshy.api admin", "admin", "MESHY.API", "meshy.api offline_access openid profile"})
  void loginAskingForAScopeTheAccountDoesNotAllowIsInvalidScope(String requested) {
    assertRefused(() -> Scopes.grant(PUBLIC, scope(requested)), "invalid_scope", 400, "Invalid scope.",
        "scope beyond the account's allowed scopes");
  }

  @ParameterizedTest(name = "client allowed [{0}], asked [{1}], granted [{2}]")
  @CsvSource(nullValues = "none", value = {
      "meshy.api,                none,      meshy.api",
      "meshy.api offline_access, none,      meshy.api",
      "meshy.api reports,        none,      meshy.api",
      "meshy.api offline_access, meshy.api, meshy.api",
  })
  void aConfidentialClientGetsWhatItAsksWithinItsOwnScopesAndTheAccounts(String own, String requested,
      String granted) {
    assertThat(Scopes.grant(confidential(own), scope(requested))).isEqualTo(Scope.parse(granted));
  }

  @ParameterizedTest(name = "client allowed [{0}], asked [{1}]")
  @CsvSource({"meshy.api, openid", "meshy.api, meshy.api offline_access", "meshy.api reports, reports"})
  void aConfidentialClientAskingBeyondItsScopesIsInvalidScopeEvenWhenTheAccountAllowsIt(String own,
      String requested) {
    assertRefused(() -> Scopes.grant(confidential(own), scope(requested)), "invalid_scope", 400, "Invalid scope.",
        "scope beyond the client's allowed scopes");
  }

  private static AuthenticatedClient confidential(String scope) {
    return new AuthenticatedClient(ACCOUNT, new Client("acme", "acme-service", true, Set.of("client_credentials"),
        Optional.of(Scope.parse(scope)), List.of()));
  }

  @ParameterizedTest(name = "token [{0}], asked [{1}], granted [{2}]")
  @CsvSource(nullValues = "none", value = {
      "meshy.api offline_access openid, none,                     meshy.api offline_access openid",
      "meshy.api offline_access openid, meshy.api,                meshy.api",
      "meshy.api offline_access openid, offline_access meshy.api, meshy.api offline_access",
      "meshy.api offline_access,        meshy.api offline_access, meshy.api offline_access",
      "offline_access,                  offline_access,           offline_access",
  })
  void refreshKeepsTheTokensScopeOrNarrowsIt(String original, String requested, String granted) {
    assertThat(Scopes.narrow(Scope.parse(original), scope(requested))).isEqualTo(Scope.parse(granted));
  }

  @ParameterizedTest(name = "token [{0}], asked [{1}]")
  @CsvSource({
      "meshy.api offline_access, meshy.api offline_access openid",
      "meshy.api offline_access, openid",
      "offline_access,           meshy.api",
      "meshy.api,                admin",
  })
  void refreshAskingBeyondTheTokensScopeIsInvalidScopeEvenWhenTheAccountAllowsIt(String original,
      String requested) {
    assertRefused(() -> Scopes.narrow(Scope.parse(original), scope(requested)), "invalid_scope", 400,
        "Invalid scope.", "refresh asked to widen the token's scope");
  }

  private static Optional<Scope> scope(String requested) {
    return GrantFixture.scope(requested);
  }
}
