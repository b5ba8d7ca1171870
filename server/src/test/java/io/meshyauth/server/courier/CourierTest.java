package io.meshyauth.server.courier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.meshyauth.server.courier.CourierSettings.Smtp;
import io.meshyauth.server.courier.CourierSettings.Tls;
import io.meshyauth.server.courier.CourierSettings.Webhook;
import io.meshyauth.server.store.jdbc.JdbcStores;
import io.meshyauth.server.testing.CapturedLog;
import io.meshyauth.server.testing.WebhookReceiver;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The courier whole: the outbox on a real database, GreenMail as the SMTP server, a real HTTP receiver for the
 * webhook. Nothing waits on the clock: every wait is for something to happen, bounded only against a broken build.
 */
class CourierTest {
  private static final String SECRET = "webhook-secret-0123456789abcdef";
  /** Long enough never to come round in a test: what gets delivered was woken, or due at a known time. */
  private static final Duration NEVER = Duration.ofHours(1);
  private static final AtomicInteger CODES = new AtomicInteger(100_000);

  @TempDir
  Path directory;

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private GreenMail greenMail;
  private int smtpPort;

  @BeforeEach
  void startMailServer() {
    greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
    greenMail.start();
    smtpPort = greenMail.getSmtp().getPort();
  }

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
    greenMail.stop();
  }

  private <T extends AutoCloseable> T closedAfter(T resource) {
    resources.add(resource);
    return resource;
  }

  private CourierSettings smtpSettings() {
    return CourierSettings.defaults()
        .withSmtp(Smtp.of("127.0.0.1", smtpPort, Tls.NONE, "no-reply@example.com"))
        .withMaxBackoff(Duration.ofMillis(20))
        .withPollInterval(NEVER);
  }

  private Courier courier(JdbcStores.WithOutbox store, CourierSettings settings) {
    return closedAfter(new Courier(store.outbox(), settings, registry, Clock.systemUTC()));
  }

  private static String code() {
    return Integer.toString(CODES.incrementAndGet());
  }

  private static Message email(String code) {
    return new Message(Message.Kind.VERIFY_EMAIL, OutboxDatabase.ACCOUNT, "alice", "alice@example.com", code,
        Instant.now().plus(Duration.ofMinutes(15)));
  }

  private static Message text(String code) {
    return new Message(Message.Kind.RESET_TEXT, OutboxDatabase.ACCOUNT, "bob", "+15551234589", code,
        Instant.now().plus(Duration.ofMinutes(15)));
  }

  private static String status(OutboxDatabase database, String id) {
    return database.rows().stream().filter(row -> row.get("id").equals(id)).findFirst()
        .map(row -> (String) row.get("status")).orElseThrow();
  }

  private static String body(MimeMessage mail) {
    try {
      return (String) mail.getContent();
    } catch (IOException | MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private double count(String name, String channel) {
    return registry.get(name).tag("channel", channel).counter().count();
  }

  @ParameterizedTest
  @EnumSource(OutboxDatabase.Kind.class)
  void aQueuedMessageIsMailedAndLeavesNoCodeInTheOutbox(OutboxDatabase.Kind kind) throws Exception {
    var database = OutboxDatabase.create(kind, directory);
    var store = closedAfter(database.open());
    var courier = courier(store, smtpSettings());
    courier.start();
    var code = code();

    // queued after the start, and no poll comes round: delivered because queueing woke the dispatcher
    var id = courier.queue(email(code));

    Eventually.await("the message is marked sent", () -> status(database, id).equals("sent"));
    var mails = greenMail.getReceivedMessages();
    assertThat(mails).hasSize(1);
    assertThat(mails[0].getSubject()).isEqualTo("Your acme verification code");
    assertThat(body(mails[0])).contains("Hello alice,").contains(code).contains("15 minutes");
    assertThat(mails[0].getRecipients(RecipientType.TO)).extracting(Object::toString)
        .containsExactly("alice@example.com");
    assertThat(database.rows()).singleElement().satisfies(row -> {
      assertThat(row.get("sealed_message")).isNull();
      assertThat(row.values()).allSatisfy(value -> assertThat(String.valueOf(value)).doesNotContain(code)
          .doesNotContain("alice@example.com"));
    });
    assertThat(count("meshy.courier.messages.queued", "smtp")).isEqualTo(1);
    assertThat(count("meshy.courier.messages.sent", "smtp")).isEqualTo(1);
  }

  @Test
  void aTextMessageGoesByTheWebhookOnceSignedWithItsSecret() {
    var database = OutboxDatabase.create(OutboxDatabase.Kind.SQLITE, directory);
    var store = closedAfter(database.open());
    var receiver = closedAfter(new WebhookReceiver());
    var courier = courier(store, smtpSettings().withWebhook(new Webhook(receiver.url(), SECRET)));
    courier.start();
    var code = code();

    var id = courier.queue(text(code));

    Eventually.await("the message is marked sent", () -> status(database, id).equals("sent"));
    assertThat(receiver.received()).singleElement().satisfies(request -> {
      assertThat(new String(request.body(), StandardCharsets.UTF_8))
          .contains("\"id\":\"" + id + "\"").contains("\"code\":\"" + code + "\"").contains("\"kind\":\"reset_text\"");
      assertThat(WebhookChannel.verify(SECRET, request.signature(), request.body(), Instant.now(),
          Duration.ofMinutes(5))).isTrue();
      assertThat(WebhookChannel.verify("wrong-secret-0123456789abcdef", request.signature(), request.body(),
          Instant.now(), Duration.ofMinutes(5))).isFalse();
    });
    assertThat(greenMail.getReceivedMessages()).isEmpty();
    assertThat(count("meshy.courier.messages.sent", "webhook")).isEqualTo(1);
  }

  @Test
  void withOnlyTheWebhookAnEmailGoesByTheWebhookToo() {
    var database = OutboxDatabase.create(OutboxDatabase.Kind.SQLITE, directory);
    var store = closedAfter(database.open());
    var receiver = closedAfter(new WebhookReceiver());
    var courier = courier(store, CourierSettings.defaults().withWebhook(new Webhook(receiver.url(), SECRET))
        .withPollInterval(NEVER));
    courier.start();

    var id = courier.queue(email(code()));

    Eventually.await("the message is marked sent", () -> status(database, id).equals("sent"));
    assertThat(receiver.received()).singleElement()
        .satisfies(request -> assertThat(new String(request.body(), StandardCharsets.UTF_8))
            .contains("\"to\":\"alice@example.com\"").contains("\"kind\":\"verify_email\""));
  }

  @Test
  void aTextMessageIsRefusedWhenNoChannelDeliversIt() {
    var database = OutboxDatabase.create(OutboxDatabase.Kind.SQLITE, directory);
    var store = closedAfter(database.open());
    var courier = courier(store, smtpSettings());

    assertThatThrownBy(() -> courier.queue(text(code())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("courier.webhook.url");
    assertThat(database.rows()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(OutboxDatabase.Kind.class)
  void whileTheMailServerIsDownMessagesWaitAndWhenItIsBackTheyAreDelivered(OutboxDatabase.Kind kind) {
    var database = OutboxDatabase.create(kind, directory);
    var store = closedAfter(database.open());
    var courier = courier(store, smtpSettings().withMaxAttempts(1_000));
    greenMail.stop();
    courier.start();

    var ids = List.of(courier.queue(email(code())), courier.queue(email(code())), courier.queue(email(code())));

    Eventually.await("every message was tried at least twice", () -> database.rows().stream()
        .allMatch(row -> ((Number) row.get("attempts")).intValue() >= 2));
    assertThat(database.rows()).allSatisfy(row -> {
      assertThat(row.get("status")).isEqualTo("queued");
      assertThat((String) row.get("last_error")).contains("127.0.0.1:" + smtpPort);
    });
    assertThat(gauge("meshy.courier.messages.waiting")).isEqualTo(3);

    greenMail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    greenMail.start();

    Eventually.await("every message is marked sent", () -> ids.stream()
        .allMatch(id -> status(database, id).equals("sent")));
    assertThat(greenMail.getReceivedMessages()).hasSize(3);
    Eventually.await("the backlog is counted empty", () -> gauge("meshy.courier.messages.waiting") == 0);
  }

  private double gauge(String name) {
    return registry.get(name).gauge().value();
  }

  /**
   * One courier queues and stops before it delivers; another, over the same SQLite file, delivers at its start.
   * A message the first had claimed when it died is delivered once its lease runs out.
   */
  @Test
  void messagesLeftByAStoppedNodeAreDeliveredByTheNextOverTheSameFile() {
    var database = OutboxDatabase.create(OutboxDatabase.Kind.SQLITE, directory);
    var codes = List.of(code(), code(), code());
    String claimedWhenItDied;
    try (var first = database.open()) {
      var courier = new Courier(first.outbox(), smtpSettings(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
          Clock.systemUTC());
      claimedWhenItDied = courier.queue(email(codes.get(0)));
      // the first node claims the oldest message, and dies before it sends it
      assertThat(first.outbox().claim(Instant.now(), Duration.ofMillis(200), 1)).extracting(Outbox.Claimed::id)
          .containsExactly(claimedWhenItDied);
      courier.queue(email(codes.get(1)));
      courier.queue(email(codes.get(2)));
      courier.close();
    }

    var second = closedAfter(database.open());
    courier(second, smtpSettings()).start();

    Eventually.await("all three are delivered", () -> greenMail.getReceivedMessages().length == 3);
    var bodies = Arrays.stream(greenMail.getReceivedMessages()).map(CourierTest::body).toList();
    for (var code : codes) {
      assertThat(bodies).filteredOn(body -> body.contains(code)).hasSize(1);
    }
    Eventually.await("all are marked sent", () -> database.rows().stream()
        .allMatch(row -> row.get("status").equals("sent")));
    assertThat(database.rows()).allSatisfy(row -> assertThat(((Number) row.get("attempts")).intValue())
        .isEqualTo(row.get("id").equals(claimedWhenItDied) ? 2 : 1));
  }

  /** Queued by another node, whose wake-up does not reach this one: found by this node's poll. */
  @Test
  void aMessageQueuedByAnotherNodeIsFoundByPolling() {
    var database = OutboxDatabase.create(OutboxDatabase.Kind.SQLITE, directory);
    var sender = closedAfter(database.open());
    courier(sender, smtpSettings().withPollInterval(Duration.ofMillis(50))).start();
    var other = closedAfter(database.open());
    var otherCourier = new Courier(other.outbox(), smtpSettings(),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC());

    var id = otherCourier.queue(email(code()));

    Eventually.await("the message is marked sent", () -> status(database, id).equals("sent"));
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
  }

  @Test
  void aMessageIsGivenUpAfterTheLastAttemptAndItsContentDeleted() {
    var database = OutboxDatabase.create(OutboxDatabase.Kind.SQLITE, directory);
    var store = closedAfter(database.open());
    var receiver = closedAfter(new WebhookReceiver());
    receiver.answer(500, 500, 500, 500);
    var courier = courier(store, smtpSettings().withWebhook(new Webhook(receiver.url(), SECRET)).withMaxAttempts(3));
    courier.start();

    var id = courier.queue(text(code()));

    Eventually.await("the message is given up", () -> status(database, id).equals("failed"));
    assertThat(receiver.received()).hasSize(3);
    assertThat(database.rows()).singleElement().satisfies(row -> {
      assertThat(((Number) row.get("attempts")).intValue()).isEqualTo(3);
      assertThat((String) row.get("last_error")).contains("HTTP 500");
      assertThat(row.get("sealed_message")).isNull();
    });
    assertThat(count("meshy.courier.messages.failed", "webhook")).isEqualTo(1);
    assertThat(count("meshy.courier.messages.sent", "webhook")).isZero();
  }

  @Test
  void aReceiverThatAnswers500ThenGetsTheMessageOnTheRetry() {
    var database = OutboxDatabase.create(OutboxDatabase.Kind.SQLITE, directory);
    var store = closedAfter(database.open());
    var receiver = closedAfter(new WebhookReceiver());
    receiver.answer(500);
    var courier = courier(store, smtpSettings().withWebhook(new Webhook(receiver.url(), SECRET)));
    courier.start();

    var id = courier.queue(text(code()));

    Eventually.await("the message is marked sent", () -> status(database, id).equals("sent"));
    var requests = receiver.received();
    assertThat(requests).hasSize(2);
    // the same message both times, each signed when sent
    assertThat(requests.get(1).body()).isEqualTo(requests.get(0).body());
    assertThat(requests).allSatisfy(request -> assertThat(WebhookChannel.verify(SECRET, request.signature(),
        request.body(), Instant.now(), Duration.ofMinutes(5))).isTrue());
    assertThat(database.rows()).singleElement().satisfies(row -> {
      assertThat(((Number) row.get("attempts")).intValue()).isEqualTo(2);
      assertThat((String) row.get("last_error")).contains("HTTP 500");
    });
  }

  @Test
  void aMessageThatDoesNotDecryptIsGivenUpAtOnce() {
    var database = OutboxDatabase.create(OutboxDatabase.Kind.SQLITE, directory);
    var store = closedAfter(database.open());
    var courier = courier(store, smtpSettings());
    var first = courier.queue(email(code()));
    var second = courier.queue(email(code()));
    var sealed = database.rows().stream().filter(row -> row.get("id").equals(first)).findFirst().orElseThrow()
        .get("sealed_message");
    database.execute("UPDATE courier_messages SET sealed_message = ? WHERE id = ?", sealed, second);

    courier.start();

    Eventually.await("both are done", () -> !status(database, first).equals("queued")
        && !status(database, second).equals("queued"));
    assertThat(status(database, first)).isEqualTo("sent");
    assertThat(status(database, second)).isEqualTo("failed");
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
  }

  @Test
  void theMetersHaveThePrometheusNamesTheOperatorsAlertOn() {
    var database = OutboxDatabase.create(OutboxDatabase.Kind.SQLITE, directory);
    var store = closedAfter(database.open());
    var courier = courier(store, smtpSettings());
    courier.start();
    var id = courier.queue(email(code()));
    Eventually.await("the message is marked sent", () -> status(database, id).equals("sent"));

    assertThat(registry.scrape())
        .contains("meshy_courier_messages_queued_total{channel=\"smtp\"} 1.0")
        .contains("meshy_courier_messages_sent_total{channel=\"smtp\"} 1.0")
        .contains("meshy_courier_messages_failed_total{channel=\"smtp\"} 0.0")
        .contains("meshy_courier_messages_waiting ")
        .contains("meshy_courier_oldest_waiting_seconds ");
  }

  @Test
  void theLogNamesMessagesByIdKindAndMaskedRecipientNeverByCodeOrAddress() {
    var database = OutboxDatabase.create(OutboxDatabase.Kind.SQLITE, directory);
    var store = closedAfter(database.open());
    var receiver = closedAfter(new WebhookReceiver());
    receiver.answer(500);
    var mailCode = code();
    var textCode = code();
    try (var log = CapturedLog.of(Level.DEBUG, "io.meshyauth.server.courier", "io.meshyauth.server.store.jdbc")) {
      var courier = courier(store, smtpSettings().withWebhook(new Webhook(receiver.url(), SECRET)));
      courier.start();
      var mailed = courier.queue(email(mailCode));
      var texted = courier.queue(text(textCode));
      Eventually.await("both are marked sent", () -> status(database, mailed).equals("sent")
          && status(database, texted).equals("sent"));

      var lines = log.events().stream().map(CourierTest::line).toList();
      assertThat(lines).allSatisfy(line -> assertThat(line).doesNotContain(mailCode).doesNotContain(textCode)
          .doesNotContain("alice@example.com").doesNotContain("+15551234589"));
      assertThat(lines).anySatisfy(line -> assertThat(line).contains(mailed).contains("verify_email")
          .contains("a***@example.com"));
      assertThat(lines).anySatisfy(line -> assertThat(line).contains(texted).contains("HTTP 500")
          .contains("***89"));
    }
  }

  private static String line(ILoggingEvent event) {
    var throwable = Optional.ofNullable(event.getThrowableProxy()).map(proxy -> " " + proxy.getMessage()).orElse("");
    return event.getFormattedMessage() + throwable + " " + Map.copyOf(event.getMDCPropertyMap());
  }
}
