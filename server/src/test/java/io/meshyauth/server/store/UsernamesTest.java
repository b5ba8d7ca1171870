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

  /** Found by UsernamesPropertiesTest: lower-casing U+0130 leaves its dot before a mark that sorts first. */
  @Test
  void aNameMatchesItsLowerCaseSpellingWhenLowerCasingReordersMarks() {
    assertThat(Usernames.normalise("\u0130\u0339")).isEqualTo(Usernames.normalise("i\u0307\u0339"))
        .isEqualTo("i\u0339\u0307");
  }

  @Test
  void normaliseOfBlankUsernameIsRefused() {
    assertThatThrownBy(() -> Usernames.normalise(" \t")).isInstanceOf(IllegalArgumentException.class);
  }
}
