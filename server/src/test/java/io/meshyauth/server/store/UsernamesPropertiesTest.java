package io.meshyauth.server.store;

import static io.meshyauth.server.properties.Cases.forAll;
import static io.meshyauth.server.properties.Cases.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.text.Normalizer;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Usernames compare as their normalised keys: these must be stable, whatever a client sends. */
class UsernamesPropertiesTest {
  private static final String ASCII_NAME = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_@";

  /** A stored key normalised again is itself, or a user could stop matching their own key. */
  @Test
  void normalisingIsIdempotent() {
    forAll(random -> text(random, 40), username -> {
      if (!username.strip().isEmpty()) {
        var key = Usernames.normalise(username);

        assertThat(Usernames.normalise(key)).isEqualTo(key);
      }
    });
  }

  @Test
  void caseAndSurroundingSpaceDoNotMatterForAsciiNames() {
    forAll(random -> text(random, ASCII_NAME, 1, 30), username -> {
      var key = Usernames.normalise(username);

      assertThat(Usernames.normalise("  " + username.toUpperCase(Locale.ROOT) + "\t")).isEqualTo(key);
      assertThat(Usernames.normalise(username.toLowerCase(Locale.ROOT))).isEqualTo(key);
    });
  }

  /** Composed and decomposed spellings of one name are one user. */
  @Test
  void canonicallyEquivalentSpellingsAreOneUser() {
    forAll(random -> text(random, 30), username -> {
      if (!username.strip().isEmpty()) {
        assertThat(Usernames.normalise(Normalizer.normalize(username, Normalizer.Form.NFD)))
            .isEqualTo(Usernames.normalise(Normalizer.normalize(username, Normalizer.Form.NFC)));
      }
    });
  }

  @Test
  void blankNamesAreRefused() {
    forAll(random -> text(random, " \t\n\r\u000b\f\u2000\u2028\u3000", 0, 10), blank ->
        assertThatThrownBy(() -> Usernames.normalise(blank)).isInstanceOf(IllegalArgumentException.class));
  }
}
