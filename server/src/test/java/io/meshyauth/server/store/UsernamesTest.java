package io.meshyauth.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class UsernamesTest {

  @Test
  void normaliseTrimsComposesAndLowerCases() {
    assertThat(Usernames.normalise("\t Rene\u0301e \n")).isEqualTo("ren\u00e9e");
  }

  @Test
  void normaliseLowerCasesTheSameWhateverTheDefaultLocale() {
    var before = Locale.getDefault();
    Locale.setDefault(Locale.forLanguageTag("tr"));
    try {
      // in Turkish, "I".toLowerCase() is the dotless "\u0131"
      assertThat(Usernames.normalise("ISTANBUL")).isEqualTo("istanbul");
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void normaliseOfBlankUsernameIsRefused() {
    assertThatThrownBy(() -> Usernames.normalise(" \t")).isInstanceOf(IllegalArgumentException.class);
  }
}
