package io.meshyauth.server.courier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import io.meshyauth.server.testing.CapturedLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TemplatesTest {
  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

  @TempDir
  Path directory;

  private static Message message(Message.Kind kind, String username) {
    return new Message(kind, "acme", username, kind.medium() == Message.Medium.EMAIL ? "alice@example.com"
        : "+15551234589", "493817", NOW.plus(Duration.ofMinutes(15)));
  }

  @ParameterizedTest
  @EnumSource(Message.Kind.class)
  void everyKindHasBuiltInTemplatesThatCarryTheCodeAndItsLifetime(Message.Kind kind) {
    var rendered = Templates.builtIn().render(message(kind, "alice"), NOW);

    assertThat(rendered.subject()).isNotBlank().contains("acme").doesNotContain("\n");
    assertThat(rendered.text()).contains("493817").contains("15 minutes");
    assertThat(rendered.id()).isNotBlank();
  }

  @Test
  void anEmailNamesTheUserAndWhenTheCodeExpires() {
    var rendered = Templates.builtIn().render(message(Message.Kind.RESET_EMAIL, "alice & bob"), NOW);

    // plain text: nothing is HTML-escaped
    assertThat(rendered.text()).contains("Hello alice & bob,").contains("2026-11-27 12:15 UTC");
    assertThat(rendered.subject()).isEqualTo("Reset your acme password");
  }

  @Test
  void minutesCountTheLifetimeLeftRoundedUpAndNeverBelowZero() {
    var templates = Templates.builtIn();
    var message = message(Message.Kind.VERIFY_TEXT, "alice");

    assertThat(templates.render(message, NOW.plusSeconds(60 * 14 + 1)).text()).contains("in 1 minutes");
    assertThat(templates.render(message, NOW.plus(Duration.ofHours(1))).text()).contains("in 0 minutes");
  }

  @Test
  void aFileInTheTemplatesDirectoryWinsOverTheBuiltInOneOfItsName() throws IOException {
    Files.writeString(directory.resolve("verify_email.subject.mustache"), "Code for {{username}}: {{code}}");
    Files.writeString(directory.resolve("verify_email.text.mustache"),
        "{{account}} {{username}} {{code}} {{expires}} {{minutes}}");

    var templates = new Templates(Optional.of(directory));

    var verify = templates.render(message(Message.Kind.VERIFY_EMAIL, "alice"), NOW);
    assertThat(verify.subject()).isEqualTo("Code for alice: 493817");
    assertThat(verify.text()).isEqualTo("acme alice 493817 2026-11-27 12:15 UTC 15");
    // the others stay built in
    assertThat(templates.render(message(Message.Kind.RESET_EMAIL, "alice"), NOW).subject())
        .isEqualTo("Reset your acme password");
  }

  @Test
  void aSubjectIsOneLineWhateverTheUsernameHolds() throws IOException {
    Files.writeString(directory.resolve("reset_email.subject.mustache"), "Reset\n  for {{username}}\n");

    var rendered = new Templates(Optional.of(directory)).render(message(Message.Kind.RESET_EMAIL, "alice"), NOW);

    assertThat(rendered.subject()).isEqualTo("Reset for alice");
  }

  @Test
  void aTemplateNamingAnUnknownVariableIsRefusedWhenTheTemplatesAreLoaded() throws IOException {
    var file = directory.resolve("reset_text.text.mustache");
    Files.writeString(file, "your code: {{cod}}");

    assertThatThrownBy(() -> new Templates(Optional.of(directory)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("cod")
        .hasMessageContaining("username, code, account, expires, minutes");
  }

  @Test
  void aTemplateThatDoesNotCompileIsRefusedNamingItsFile() throws IOException {
    var file = directory.resolve("verify_text.text.mustache");
    Files.writeString(file, "{{#code}} unclosed");

    assertThatThrownBy(() -> new Templates(Optional.of(directory)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void aTemplatesDirectoryThatIsNoDirectoryIsRefused() {
    var missing = directory.resolve("missing");

    assertThatThrownBy(() -> new Templates(Optional.of(missing)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("courier.templates-dir")
        .hasMessageContaining(missing.toString());
  }

  @Test
  void aFileNamedLikeNoTemplateIsPointedOut() throws IOException {
    Files.writeString(directory.resolve("verify-email.text.mustache"), "{{code}}");

    try (var log = CapturedLog.of(Level.WARN, Templates.class.getName())) {
      new Templates(Optional.of(directory));

      assertThat(log.events()).singleElement()
          .satisfies(event -> assertThat(event.getFormattedMessage()).contains("verify-email.text.mustache")
              .contains("verify_email.text.mustache"));
    }
  }
}
