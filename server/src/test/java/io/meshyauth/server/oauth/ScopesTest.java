package io.meshyauth.server.oauth;

import static io.meshyauth.server.testing.OAuthErrors.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshyauth.server.store.Account;
import io.meshyauth.server.values.Scope;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6749 section 3.3 at a login, section 6 at a refresh. "none" is a request that names no scope. */
class ScopesTest {
  /** Allows meshy.api, offline_access and openid. */
  private static final Account ACCOUNT = GrantFixture.account("acme", "acme-web");

  @ParameterizedTest(name = "asked [{0}], granted [{1}]")
  @CsvSource(nullValues = "none", value = {
      "none,                            meshy.api openid",
      "meshy.api,                       meshy.api",
      "meshy.api offline_access,        meshy.api offline_access",
      "openid offline_access meshy.api, meshy.api offline_access openid",
      "offline_access,                  offline_access",
  })
  void loginGetsWhatItAsksWithinTheAccountsScopesAndNoOfflineAccessUnlessAsked(String requested, String granted) {
    assertThat(Scopes.grant(ACCOUNT, scope(requested))).isEqualTo(Scope.parse(granted));
  }

  @ParameterizedTest(name = "asked [{0}]")
  @CsvSource({"meshy.api admin", "admin", "MESHY.API", "meshy.api offline_access openid profile"})
  void loginAskingForAScopeTheAccountDoesNotAllowIsInvalidScope(String requested) {
    assertRefused(() -> Scopes.grant(ACCOUNT, scope(requested)), "invalid_scope", 400, "Invalid scope.",
        "scope beyond the account's allowed scopes");
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
