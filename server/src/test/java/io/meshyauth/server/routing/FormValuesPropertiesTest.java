package io.meshyauth.server.routing;

import static io.meshyauth.server.properties.Cases.forAll;
import static io.meshyauth.server.properties.Cases.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshyauth.server.errors.ApiError;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/** RFC 6749 section 3.2: a parameter sent without a value is omitted, and none may be repeated. */
class FormValuesPropertiesTest {
  @Test
  void aParameterIsItsOneNonEmptyValueOrOmittedOrRefusedWhenRepeated() {
    forAll(random -> {
      var values = new ArrayList<String>();
      for (int i = random.nextInt(6); i > 0; i--) {
        values.add(random.nextBoolean() ? "" : text(random, 3));
      }
      return new FormParameter("scope", values);
    }, parameter -> {
      var given = parameter.values().stream().filter(v -> !v.isEmpty()).toList();

      if (given.size() > 1) {
        assertThatThrownBy(() -> FormValues.optional(parameter)).isInstanceOf(ApiError.class)
            .hasMessageContaining("repeated");
        assertThatThrownBy(() -> FormValues.required(parameter)).isInstanceOf(ApiError.class);
      } else if (given.isEmpty()) {
        assertThat(FormValues.optional(parameter)).isEmpty();
        assertThatThrownBy(() -> FormValues.required(parameter)).isInstanceOf(ApiError.class)
            .hasMessageContaining("required");
      } else {
        assertThat(FormValues.optional(parameter)).contains(given.get(0));
        assertThat(FormValues.required(parameter)).isEqualTo(given.get(0));
      }
    });
  }
}
