package io.meshyauth.server.courier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshyauth.server.courier.CourierSettings.Webhook;
import io.meshyauth.server.testing.MutableClock;
import io.meshyauth.server.testing.WebhookReceiver;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The webhook against a real HTTP receiver on a loopback port, which checks each request's signature. */
class WebhookChannelTest {
  private static final String SECRET = "webhook-secret-0123456789abcdef";
  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
  private static final Duration TOLERANCE = Duration.ofMinutes(5);

  private final WebhookReceiver receiver = new WebhookReceiver();
  private final MutableClock clock = new MutableClock(NOW);

  @AfterEach
  void stopReceiver() {
    receiver.close();
  }

  private WebhookChannel channel() {
    return new WebhookChannel(new Webhook(receiver.url(), SECRET), Duration.ofSeconds(10), clock);
  }

  private static RenderedMessage rendered() {
    var message = new Message(Message.Kind.VERIFY_TEXT, "acme", "alice", "+15551234589", "493817",
        NOW.plus(Duration.ofMinutes(15)));
    return new RenderedMessage("message-1", message, "Your acme verification code", "acme: your code is 493817");
  }

  @Test
  void aMessageIsPostedOnceAsJsonSignedWithTheSecret() throws Exception {
    channel().deliver(rendered());

    var request = receiver.received();
    assertThat(request).hasSize(1);
    var body = request.get(0).body();
    assertThat(WebhookChannel.verify(SECRET, request.get(0).signature(), body, NOW, TOLERANCE)).isTrue();
    assertThat(request.get(0).signature()).startsWith("t=" + NOW.getEpochSecond() + ",v1=");
    @SuppressWarnings("unchecked")
    Map<String, String> json = new ObjectMapper().readValue(body, Map.class);
    assertThat(json).containsExactly(Map.entry("id", "message-1"), Map.entry("kind", "verify_text"),
        Map.entry("to", "+15551234589"), Map.entry("username", "alice"), Map.entry("code", "493817"),
        Map.entry("expires", "2026-11-27T12:15:00Z"), Map.entry("subject", "Your acme verification code"),
        Map.entry("text", "acme: your code is 493817"), Map.entry("account", "acme"));
  }

  @Test
  void underAnotherSecretTheSignatureDoesNotVerify() throws Exception {
    channel().deliver(rendered());

    var request = receiver.received().get(0);
    assertThat(WebhookChannel.verify("another-secret-0123456789abcdef", request.signature(), request.body(), NOW,
        TOLERANCE)).isFalse();
  }

  @Test
  void aRequestReplayedAfterTheToleranceDoesNotVerify() throws Exception {
    channel().deliver(rendered());

    var request = receiver.received().get(0);
    var later = NOW.plus(TOLERANCE).plusSeconds(1);
    assertThat(WebhookChannel.verify(SECRET, request.signature(), request.body(), later, TOLERANCE)).isFalse();
    var earlier = NOW.minus(TOLERANCE).minusSeconds(1);
    assertThat(WebhookChannel.verify(SECRET, request.signature(), request.body(), earlier, TOLERANCE)).isFalse();
    assertThat(WebhookChannel.verify(SECRET, request.signature(), request.body(), NOW.plus(TOLERANCE), TOLERANCE))
        .isTrue();
  }

  @Test
  void anAlteredBodyOrTimestampDoesNotVerify() {
    var body = "{\"code\":\"493817\"}".getBytes(StandardCharsets.UTF_8);
    var header = WebhookChannel.sign(SECRET, NOW.getEpochSecond(), body);

    assertThat(WebhookChannel.verify(SECRET, header, body, NOW, TOLERANCE)).isTrue();
    assertThat(WebhookChannel.verify(SECRET, header, "{\"code\":\"000000\"}".getBytes(StandardCharsets.UTF_8), NOW,
        TOLERANCE)).isFalse();
    var shifted = header.replace("t=" + NOW.getEpochSecond(), "t=" + (NOW.getEpochSecond() + 1));
    assertThat(WebhookChannel.verify(SECRET, shifted, body, NOW, TOLERANCE)).isFalse();
  }

  @Test
  void aMalformedHeaderDoesNotVerify() {
    var body = "{}".getBytes(StandardCharsets.UTF_8);
    var good = WebhookChannel.sign(SECRET, NOW.getEpochSecond(), body);

    for (var header : new String[] {null, "", "t=1", "v1=00", good + ",t=1", "t=x," + good.substring(
        good.indexOf(',') + 1), good.replace("v1=", "v1=zz"), "garbage"}) {
      assertThat(WebhookChannel.verify(SECRET, header, body, NOW, TOLERANCE)).as(String.valueOf(header)).isFalse();
    }
  }

  @Test
  void anySignatureOfSeveralMayMatch() {
    var body = "{}".getBytes(StandardCharsets.UTF_8);
    var ours = WebhookChannel.sign(SECRET, NOW.getEpochSecond(), body);
    var theirs = WebhookChannel.sign("old-secret-0123456789abcdef", NOW.getEpochSecond(), body);

    var both = theirs + "," + ours.substring(ours.indexOf(',') + 1);
    assertThat(WebhookChannel.verify(SECRET, both, body, NOW, TOLERANCE)).isTrue();
  }

  @Test
  void anAnswerOtherThan2xxFailsTheAttempt() {
    receiver.answer(500);

    assertThatThrownBy(() -> channel().deliver(rendered()))
        .isInstanceOf(DeliveryException.class)
        .hasMessageContaining("HTTP 500")
        .satisfies(e -> assertThat(((DeliveryException) e).permanent()).isFalse());
    assertThat(receiver.received()).hasSize(1);
  }

  @Test
  void aRedirectIsNotFollowed() {
    receiver.answer(302);

    assertThatThrownBy(() -> channel().deliver(rendered())).hasMessageContaining("HTTP 302");
  }

  @Test
  void aReceiverThatIsNotThereFailsTheAttempt() throws IOException {
    int port;
    try (var socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    var nowhere = new WebhookChannel(new Webhook(URI.create("http://127.0.0.1:" + port + "/courier"), SECRET),
        Duration.ofSeconds(10), clock);

    assertThatThrownBy(() -> nowhere.deliver(rendered()))
        .isInstanceOf(DeliveryException.class)
        .hasMessageContaining("127.0.0.1:" + port)
        .hasMessageNotContaining("493817");
  }
}
