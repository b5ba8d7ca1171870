package io.meshyauth.server.values;

import static io.meshyauth.server.properties.Cases.forAll;
import static io.meshyauth.server.properties.Cases.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 6749 section 3.3 scope strings, for any input a client can send. */
class ScopePropertiesTest {
  private static final String SCOPE_CHARACTERS = "abcmeshy.:_-/!#~" + Scope.OFFLINE_ACCESS;

  @Test
  void parsingNeverYieldsAnEmptyOrSpaceContainingToken() {
    forAll(random -> text(random, 200), scope ->
        assertThat(Scope.parse(scope).values()).allSatisfy(token -> assertThat(token).isNotEmpty().doesNotContain(" ")));
  }

  @Test
  void printingAndParsingAgainGivesTheSameScope() {
    forAll(random -> text(random, 200), scope -> {
      var parsed = Scope.parse(scope);

      assertThat(Scope.parse(parsed.toString())).isEqualTo(parsed);
    });
  }

  /** Order, repetition and spacing do not matter, and every token survives: the scope is the set of its tokens. */
  @Test
  void aScopeIsTheSetOfItsTokensWhateverTheirOrderAndSpacing() {
    forAll(random -> {
      var tokens = new ArrayList<String>();
      for (int i = random.nextInt(10); i > 0; i--) {
        tokens.add(random.nextInt(5) == 0 ? Scope.OFFLINE_ACCESS : text(random, SCOPE_CHARACTERS, 1, 12));
      }
      var spaced = new StringBuilder(" ".repeat(random.nextInt(3)));
      for (var token : tokens) {
        spaced.append(token).append(" ".repeat(1 + random.nextInt(3)));
      }
      return List.of(List.copyOf(tokens), List.of(spaced.toString()));
    }, input -> {
      var tokens = input.get(0);
      var parsed = Scope.parse(input.get(1).get(0));

      assertThat(parsed.values()).containsExactlyElementsOf(new LinkedHashSet<>(tokens));
      assertThat(parsed.containsAll(Scope.of(tokens))).isTrue();
      assertThat(parsed.allowsRefresh()).isEqualTo(tokens.contains(Scope.OFFLINE_ACCESS));
    });
  }
}
