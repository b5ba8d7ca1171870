package io.meshyauth.server.courier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.meshyauth.server.courier.CourierSettings.Smtp;
import io.meshyauth.server.courier.CourierSettings.Tls;
import jakarta.mail.Message.RecipientType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SMTP against GreenMail, a real SMTP server in this process. */
class SmtpChannelTest {
  private GreenMail greenMail;

  @BeforeEach
  void startMailServer() {
    greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
    greenMail.start();
  }

  @AfterEach
  void stopMailServer() {
    greenMail.stop();
  }

  private int port() {
    return greenMail.getSmtp().getPort();
  }

  private static RenderedMessage rendered(String to) {
    var message = new Message(Message.Kind.RESET_EMAIL, "acme", "alice", to, "493817",
        Instant.now().plus(Duration.ofMinutes(15)));
    return new RenderedMessage("4f1c1e0e-5d0e-4b8e-9a53-0c2a1e6b7d11", message, "Reset your acme password",
        "Your code is 493817.\n");
  }

  @Test
  void aMessageReachesItsRecipientWithItsSubjectAndText() throws Exception {
    var channel = new SmtpChannel(Smtp.of("127.0.0.1", port(), Tls.NONE, "\"Meshy Auth\" <no-reply@example.com>"),
        Duration.ofSeconds(10), Clock.systemUTC());

    channel.deliver(rendered("alice@example.com"));

    var received = greenMail.getReceivedMessages();
    assertThat(received).hasSize(1);
    var mail = received[0];
    assertThat(mail.getSubject()).isEqualTo("Reset your acme password");
    assertThat(((String) mail.getContent()).strip()).isEqualTo("Your code is 493817.");
    assertThat(mail.getRecipients(RecipientType.TO)).extracting(Object::toString)
        .containsExactly("alice@example.com");
    assertThat(mail.getFrom()).extracting(Object::toString)
        .containsExactly("Meshy Auth <no-reply@example.com>");
    // the outbox's id, so that a message sent twice is recognisably one
    assertThat(mail.getMessageID()).isEqualTo("<4f1c1e0e-5d0e-4b8e-9a53-0c2a1e6b7d11@example.com>");
  }

  @Test
  void aRecipientThatIsNoAddressFailsForGood() {
    var channel = new SmtpChannel(Smtp.of("127.0.0.1", port(), Tls.NONE, "no-reply@example.com"),
        Duration.ofSeconds(10), Clock.systemUTC());

    assertThatThrownBy(() -> channel.deliver(rendered("alice at example")))
        .isInstanceOf(DeliveryException.class)
        .satisfies(e -> assertThat(((DeliveryException) e).permanent()).isTrue());
    assertThat(greenMail.getReceivedMessages()).isEmpty();
  }

  @Test
  void starttlsIsRequiredNeverSkippedWhenTheServerDoesNotOfferIt() {
    // GreenMail's plain SMTP offers no STARTTLS: the message must not go in clear
    var channel = new SmtpChannel(Smtp.of("localhost", port(), Tls.STARTTLS, "no-reply@example.com"),
        Duration.ofSeconds(10), Clock.systemUTC());

    assertThatThrownBy(() -> channel.deliver(rendered("alice@example.com")))
        .isInstanceOf(DeliveryException.class)
        .hasMessageContaining("STARTTLS")
        .satisfies(e -> assertThat(((DeliveryException) e).permanent()).isFalse());
    assertThat(greenMail.getReceivedMessages()).isEmpty();
  }

  @Test
  void aServerThatIsNotThereFailsTheAttempt() {
    var port = port();
    greenMail.stop();
    var channel = new SmtpChannel(Smtp.of("127.0.0.1", port, Tls.NONE, "no-reply@example.com"),
        Duration.ofSeconds(10), Clock.systemUTC());

    assertThatThrownBy(() -> channel.deliver(rendered("alice@example.com")))
        .isInstanceOf(DeliveryException.class)
        .hasMessageContaining("127.0.0.1:" + port)
        .hasMessageNotContaining("493817");
  }

  /** Without timeouts this would wait for ever: the test's own timeout is only the bound of a broken build. */
  @Test
  @Timeout(60)
  void aServerThatAcceptsButNeverAnswersFailsTheAttemptAfterTheTimeout() throws IOException {
    try (var silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      var accepted = new ArrayList<Socket>();
      var acceptor = new Thread(() -> accept(silent, accepted));
      acceptor.setDaemon(true);
      acceptor.start();
      var channel = new SmtpChannel(Smtp.of("127.0.0.1", silent.getLocalPort(), Tls.NONE, "no-reply@example.com"),
          Duration.ofMillis(500), Clock.systemUTC());

      assertThatThrownBy(() -> channel.deliver(rendered("alice@example.com")))
          .isInstanceOf(DeliveryException.class);
    }
  }

  private static void accept(ServerSocket server, List<Socket> accepted) {
    try {
      while (true) {
        accepted.add(server.accept()); // kept open and never answered
      }
    } catch (IOException e) {
      // closed at the end of the test
    }
  }
}
