package io.meshyauth.server.store;

import static io.meshyauth.server.store.Fixtures.DAY;
import static io.meshyauth.server.store.Fixtures.T0;
import static io.meshyauth.server.store.Fixtures.createAccount;
import static io.meshyauth.server.store.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

abstract class SigningKeyStoreContract extends StoreContract {
  private static final Duration HOUR = Duration.ofHours(1);

  @Test
  void savedKeySignsUntilItRetiresAndIsPublishedUntilNotAfter() {
    var account = createAccount(stores());
    var key = key(Optional.of(account.name()), T0, T0.plus(DAY), T0.plus(DAY).plus(HOUR));
    stores().signingKeys().saveSigningKey(key);
    var scope = Optional.of(account.name());

    assertThat(keys().activeSigningKeys(scope, T0.minusMillis(1))).doesNotContain(key);
    assertThat(keys().activeSigningKeys(scope, T0)).containsExactly(key);
    assertThat(keys().activeSigningKeys(scope, T0.plus(DAY))).isEmpty();
    assertThat(keys().publishedSigningKeys(scope, T0.plus(DAY))).containsExactly(key);
    assertThat(keys().publishedSigningKeys(scope, T0.plus(DAY).plus(HOUR))).isEmpty();
  }

  @Test
  void anAccountSeesItsOwnKeysAndTheKeysOfEveryAccountButNoOtherAccountsKeys() {
    try (var stores = backend().newDatabase().open()) {
      var acme = createAccount(stores);
      var other = createAccount(stores);
      var global = key(Optional.empty(), T0, T0.plus(DAY), T0.plus(DAY));
      var acmeKey = key(Optional.of(acme.name()), T0.plusSeconds(1), T0.plus(DAY), T0.plus(DAY));
      var otherKey = key(Optional.of(other.name()), T0.plusSeconds(2), T0.plus(DAY), T0.plus(DAY));
      stores.signingKeys().saveSigningKey(global);
      stores.signingKeys().saveSigningKey(acmeKey);
      stores.signingKeys().saveSigningKey(otherKey);

      // newest first
      assertThat(stores.signingKeys().activeSigningKeys(Optional.of(acme.name()), T0.plusSeconds(5)))
          .containsExactly(acmeKey, global);
      assertThat(stores.signingKeys().publishedSigningKeys(Optional.of(other.name()), T0.plusSeconds(5)))
          .containsExactly(otherKey, global);
      assertThat(stores.signingKeys().activeSigningKeys(Optional.empty(), T0.plusSeconds(5)))
          .containsExactly(global);
    }
  }

  @Test
  void keyStoredAheadOfUseIsPublishedBeforeItSigns() {
    var account = createAccount(stores());
    var next = key(Optional.of(account.name()), T0.plus(DAY), T0.plus(DAY).plus(DAY), T0.plus(DAY).plus(DAY));
    keys().saveSigningKey(next);

    assertThat(keys().publishedSigningKeys(Optional.of(account.name()), T0)).containsExactly(next);
    assertThat(keys().activeSigningKeys(Optional.of(account.name()), T0)).isEmpty();
  }

  @Test
  void retiredKeyStopsSigningAndStaysPublishedUntilNotAfter() {
    var account = createAccount(stores());
    var key = key(Optional.of(account.name()), T0, T0.plus(Duration.ofDays(90)), T0.plus(Duration.ofDays(90)));
    keys().saveSigningKey(key);

    keys().retireSigningKey(key.kid(), T0.plus(HOUR), T0.plus(HOUR).plus(HOUR));

    var scope = Optional.of(account.name());
    assertThat(keys().activeSigningKeys(scope, T0.plus(HOUR))).isEmpty();
    assertThat(keys().publishedSigningKeys(scope, T0.plus(HOUR))).extracting(SigningKey::kid)
        .containsExactly(key.kid());
  }

  @Test
  void retiringAnUnknownKeyThrowsNotFound() {
    assertThatThrownBy(() -> keys().retireSigningKey(unique("kid"), T0, T0))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void savingAKidTwiceThrowsDuplicate() {
    var key = key(Optional.empty(), T0, T0, T0);
    keys().saveSigningKey(key);

    assertThatThrownBy(() -> keys().saveSigningKey(key)).isInstanceOf(DuplicateException.class);
  }

  @Test
  void privateKeyIsNotInTheKeysString() {
    var key = key(Optional.empty(), T0, T0, T0);

    assertThat(key.toString()).contains(key.kid()).doesNotContain(key.privateJwk());
  }

  private SigningKeyStore keys() {
    return stores().signingKeys();
  }

  private static SigningKey key(Optional<String> account, Instant createdAt, Instant retireAfter, Instant notAfter) {
    var kid = unique("kid");
    return new SigningKey(kid, account, "ES256",
        "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"" + kid + "\",\"d\":\"private-" + kid + "\"}",
        "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"" + kid + "\"}", createdAt, retireAfter, notAfter);
  }
}
