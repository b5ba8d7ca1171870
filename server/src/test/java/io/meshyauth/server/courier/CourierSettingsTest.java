package io.meshyauth.server.courier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshyauth.server.courier.CourierSettings.Smtp;
import io.meshyauth.server.courier.CourierSettings.Tls;
import io.meshyauth.server.courier.CourierSettings.Webhook;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CourierSettingsTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef";

  @Test
  void theDefaultsAreTenAttemptsAndAMinuteOfBackoffAtMost() {
    var defaults = CourierSettings.defaults();

    assertThat(defaults.maxAttempts()).isEqualTo(10);
    assertThat(defaults.maxBackoff()).isEqualTo(Duration.ofSeconds(60));
    assertThat(defaults.smtp()).isEmpty();
    assertThat(defaults.webhook()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "127.0.0.1", "127.0.0.2", "::1", "[::1]"})
  void smtpWithoutTlsIsAllowedToThisMachine(String host) {
    assertThat(Smtp.of(host, 25, Tls.NONE, "no-reply@example.com").host()).isEqualTo(host);
  }

  @ParameterizedTest
  @ValueSource(strings = {"mail.example.com", "10.0.0.5", "localhost.example.com", "::2"})
  void smtpWithoutTlsIsRefusedToAnyOtherHostSayingWhy(String host) {
    assertThatThrownBy(() -> Smtp.of(host, 25, Tls.NONE, "no-reply@example.com"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("courier.smtp.tls=none")
        .hasMessageContaining("in clear")
        .hasMessageContaining(host)
        .hasMessageContaining("starttls or implicit");
  }

  @Test
  void smtpWithTlsGoesAnywhere() {
    assertThat(Smtp.of("mail.example.com", 587, Tls.of("starttls"), "no-reply@example.com").tls())
        .isEqualTo(Tls.STARTTLS);
    assertThat(Smtp.of("mail.example.com", 465, Tls.of("IMPLICIT"), "no-reply@example.com").tls())
        .isEqualTo(Tls.IMPLICIT);
  }

  @Test
  void aSenderThatIsNoAddressIsRefused() {
    assertThatThrownBy(() -> Smtp.of("localhost", 25, Tls.NONE, "no reply"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("courier.from");
  }

  @Test
  void aLoginNeedsBothUserAndPassword() {
    assertThatThrownBy(() -> new Smtp("localhost", 25, Tls.NONE, Optional.of("courier"), Optional.empty(),
        "no-reply@example.com"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("courier.smtp.password");
  }

  @Test
  void theSettingsPrintNoPasswordAndNoSecret() {
    var settings = CourierSettings.defaults()
        .withSmtp(Smtp.of("localhost", 25, Tls.NONE, "no-reply@example.com").withLogin("courier", "hunter2-pw"))
        .withWebhook(new Webhook(URI.create("https://hooks.example.com/sms"), SECRET));

    assertThat(settings.toString()).contains("courier").doesNotContain("hunter2-pw").doesNotContain(SECRET);
  }

  @Test
  void aWebhookOverPlainHttpIsAllowedOnlyToThisMachine() {
    assertThat(new Webhook(URI.create("http://127.0.0.1:8080/sms"), SECRET).url().getPort()).isEqualTo(8080);
    assertThatThrownBy(() -> new Webhook(URI.create("http://hooks.example.com/sms"), SECRET))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("courier.webhook.url")
        .hasMessageContaining("https://");
  }

  @Test
  void aShortWebhookSecretIsRefused() {
    assertThatThrownBy(() -> new Webhook(URI.create("https://hooks.example.com/sms"), "short"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("courier.webhook.secret")
        .hasMessageNotContaining("short");
  }

  @Test
  void withOnlyTheWebhookEverythingGoesByTheWebhook() {
    var router = ChannelRouter.of(CourierSettings.defaults()
        .withWebhook(new Webhook(URI.create("https://hooks.example.com/sms"), SECRET)), Clock.systemUTC());

    for (var kind : Message.Kind.values()) {
      assertThat(router.channelFor(kind)).map(Channel::name).contains("webhook");
    }
  }

  @Test
  void withBothEmailGoesBySmtpAndTextByTheWebhook() {
    var router = ChannelRouter.of(CourierSettings.defaults()
        .withSmtp(Smtp.of("mail.example.com", 587, Tls.STARTTLS, "no-reply@example.com"))
        .withWebhook(new Webhook(URI.create("https://hooks.example.com/sms"), SECRET)), Clock.systemUTC());

    assertThat(router.channelFor(Message.Kind.VERIFY_EMAIL)).map(Channel::name).contains("smtp");
    assertThat(router.channelFor(Message.Kind.RESET_EMAIL)).map(Channel::name).contains("smtp");
    assertThat(router.channelFor(Message.Kind.VERIFY_TEXT)).map(Channel::name).contains("webhook");
    assertThat(router.channelFor(Message.Kind.RESET_TEXT)).map(Channel::name).contains("webhook");
  }

  @Test
  void withOnlySmtpTextMessagesHaveNoChannel() {
    var router = ChannelRouter.of(CourierSettings.defaults()
        .withSmtp(Smtp.of("mail.example.com", 587, Tls.STARTTLS, "no-reply@example.com")), Clock.systemUTC());

    assertThat(router.channelFor(Message.Kind.VERIFY_TEXT)).isEmpty();
  }

  @Test
  void aCourierWithoutAnyChannelIsRefused() {
    assertThatThrownBy(() -> ChannelRouter.of(CourierSettings.defaults(), Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("courier.smtp.host")
        .hasMessageContaining("courier.webhook.url");
  }

  @Test
  void aMessageShowsNeitherItsCodeNorItsAddress() {
    var message = new Message(Message.Kind.VERIFY_EMAIL, "acme", "alice", "alice@example.com", "493817",
        Instant.EPOCH);

    assertThat(message.recipientHint()).isEqualTo("a***@example.com");
    assertThat(message.toString()).doesNotContain("493817").doesNotContain("alice@example.com");
    assertThat(new Message(Message.Kind.VERIFY_TEXT, "acme", "alice", "+15551234589", "493817",
        Instant.EPOCH).recipientHint()).isEqualTo("***89");
  }

  @Test
  void aMessageWithALineBreakInAnAddressIsRefused() {
    assertThatThrownBy(() -> new Message(Message.Kind.VERIFY_EMAIL, "acme", "alice",
        "alice@example.com\r\nBcc: mallory@example.com", "493817", Instant.EPOCH))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
