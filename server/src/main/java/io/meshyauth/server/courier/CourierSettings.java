package io.meshyauth.server.courier;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How the courier delivers: its channels, its templates, how often and how long it tries. E-mail kinds go by SMTP
 * and text kinds by the webhook; with only the webhook, everything goes by the webhook.
 *
 * @param smtp the SMTP server ({@code courier.smtp.*}), when e-mail goes by SMTP
 * @param webhook the webhook ({@code courier.webhook.*}), for text messages, or for everything without SMTP
 * @param templatesDir {@code courier.templates-dir}: a template file there wins over the built-in one of its name
 * @param maxAttempts {@code courier.max-attempts}: a message is given up after this many attempts
 * @param maxBackoff {@code courier.max-backoff}: the waits between attempts double from 1 s up to this
 * @param timeout each step of a delivery at most (connecting, each read and write of SMTP, the webhook's answer),
 *     so that a dead receiver does not hold the dispatcher
 * @param pollInterval how often the dispatcher looks for messages other nodes queued, or a crashed node left
 * @param lease how long a claimed message is left to its node before another may send it: longer than a batch of
 *     deliveries can take, or a slow node and another both send it
 * @param batchSize messages claimed at once
 */
public record CourierSettings(Optional<Smtp> smtp, Optional<Webhook> webhook, Optional<Path> templatesDir,
    int maxAttempts, Duration maxBackoff, Duration timeout, Duration pollInterval, Duration lease, int batchSize) {
  public static final int DEFAULT_MAX_ATTEMPTS = 10;
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(60);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
  // one message a claim, so that a lease need only outlast one delivery (at most four steps of the timeout):
  // a message a crashed node had claimed is sent again a minute later, not after a batch's worth
  public static final Duration DEFAULT_LEASE = Duration.ofMinutes(1);
  public static final int DEFAULT_BATCH_SIZE = 1;

  public CourierSettings {
    Objects.requireNonNull(smtp, "smtp");
    Objects.requireNonNull(webhook, "webhook");
    Objects.requireNonNull(templatesDir, "templatesDir");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("courier.max-attempts must be at least 1, was " + maxAttempts);
    }
    requirePositive(maxBackoff, "courier.max-backoff");
    requirePositive(timeout, "courier timeout");
    requirePositive(pollInterval, "courier poll interval");
    requirePositive(lease, "courier lease");
    if (batchSize < 1) {
      throw new IllegalArgumentException("courier batch size must be at least 1, was " + batchSize);
    }
  }

  /** No channel yet (a courier needs one), the built-in templates, and the default attempts and timings. */
  public static CourierSettings defaults() {
    return new CourierSettings(Optional.empty(), Optional.empty(), Optional.empty(), DEFAULT_MAX_ATTEMPTS,
        DEFAULT_MAX_BACKOFF, DEFAULT_TIMEOUT, DEFAULT_POLL_INTERVAL, DEFAULT_LEASE, DEFAULT_BATCH_SIZE);
  }

  public CourierSettings withSmtp(Smtp value) {
    return new CourierSettings(Optional.of(value), webhook, templatesDir, maxAttempts, maxBackoff, timeout,
        pollInterval, lease, batchSize);
  }

  public CourierSettings withWebhook(Webhook value) {
    return new CourierSettings(smtp, Optional.of(value), templatesDir, maxAttempts, maxBackoff, timeout,
        pollInterval, lease, batchSize);
  }

  public CourierSettings withTemplatesDir(Path value) {
    return new CourierSettings(smtp, webhook, Optional.of(value), maxAttempts, maxBackoff, timeout, pollInterval,
        lease, batchSize);
  }

  public CourierSettings withMaxAttempts(int value) {
    return new CourierSettings(smtp, webhook, templatesDir, value, maxBackoff, timeout, pollInterval, lease,
        batchSize);
  }

  public CourierSettings withMaxBackoff(Duration value) {
    return new CourierSettings(smtp, webhook, templatesDir, maxAttempts, value, timeout, pollInterval, lease,
        batchSize);
  }

  public CourierSettings withTimeout(Duration value) {
    return new CourierSettings(smtp, webhook, templatesDir, maxAttempts, maxBackoff, value, pollInterval, lease,
        batchSize);
  }

  public CourierSettings withPollInterval(Duration value) {
    return new CourierSettings(smtp, webhook, templatesDir, maxAttempts, maxBackoff, timeout, value, lease,
        batchSize);
  }

  public CourierSettings withLease(Duration value) {
    return new CourierSettings(smtp, webhook, templatesDir, maxAttempts, maxBackoff, timeout, pollInterval, value,
        batchSize);
  }

  public CourierSettings withBatchSize(int value) {
    return new CourierSettings(smtp, webhook, templatesDir, maxAttempts, maxBackoff, timeout, pollInterval, lease,
        value);
  }

  /** How SMTP is protected ({@code courier.smtp.tls}). */
  public enum Tls {
    /** Plain SMTP upgraded with STARTTLS, required: a server that does not offer it gets nothing. */
    STARTTLS,
    /** TLS from the first byte (SMTPS, usually port 465). */
    IMPLICIT,
    /** No TLS: mail and password in clear, so only to a server on this machine. */
    NONE;

    public static Tls of(String value) {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
  }

  /**
   * The SMTP server, {@code courier.smtp.*}. The server's certificate is checked against the JVM's trusted
   * authorities and the host name.
   *
   * @param from the sender's address, e.g. {@code "Meshy Auth" <no-reply@example.com>}
   * @param user the login, when the server wants one (then with a password)
   */
  public record Smtp(String host, int port, Tls tls, Optional<String> user, Optional<String> password,
      String from) {
    public Smtp {
      Objects.requireNonNull(host, "host");
      if (host.isBlank()) {
        throw new IllegalArgumentException("courier.smtp.host must not be blank");
      }
      if (port < 1 || port > 65_535) {
        throw new IllegalArgumentException("courier.smtp.port must be between 1 and 65535, was " + port);
      }
      Objects.requireNonNull(tls, "tls");
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(password, "password");
      if (user.isPresent() != password.isPresent()) {
        throw new IllegalArgumentException("courier.smtp.user and courier.smtp.password go together: set both or "
            + "neither");
      }
      if (tls == Tls.NONE && !isLoopback(host)) {
        throw new IllegalArgumentException("courier.smtp.tls=none sends the codes (and the SMTP password) in clear, "
            + "so it is allowed only to a server on this machine (localhost, 127.0.0.1, ::1), not to " + host
            + ": set courier.smtp.tls to starttls or implicit");
      }
      Objects.requireNonNull(from, "from");
      try {
        new InternetAddress(from, true).validate();
      } catch (AddressException e) {
        throw new IllegalArgumentException("courier.from is not an e-mail address: " + e.getMessage());
      }
    }

    /** A server that takes mail without a login. */
    public static Smtp of(String host, int port, Tls tls, String from) {
      return new Smtp(host, port, tls, Optional.empty(), Optional.empty(), from);
    }

    public Smtp withLogin(String newUser, String newPassword) {
      return new Smtp(host, port, tls, Optional.of(newUser), Optional.of(newPassword), from);
    }

    @Override
    public String toString() {
      return "Smtp[" + host + ":" + port + ", tls=" + tls.name().toLowerCase(Locale.ROOT) + ", user="
          + user.orElse("(none)") + ", password=" + password.map(p -> "****").orElse("(none)") + ", from=" + from
          + "]";
    }
  }

  /**
   * The webhook, {@code courier.webhook.*}: each message is POSTed there as JSON, signed with the secret (see
   * {@link WebhookChannel}).
   */
  public record Webhook(URI url, String secret) {
    /** The shortest secret taken: an HMAC key guessed is a forged message. */
    public static final int MIN_SECRET_BYTES = 16;

    public Webhook {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(secret, "secret");
      var scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
      if (url.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
        throw new IllegalArgumentException("courier.webhook.url must be an https:// URL, was " + url);
      }
      if (scheme.equals("http") && !isLoopback(url.getHost())) {
        throw new IllegalArgumentException("courier.webhook.url is http://, which sends the codes in clear, so it "
            + "is allowed only to a receiver on this machine (localhost, 127.0.0.1, [::1]), not to " + url.getHost()
            + ": use https://");
      }
      if (secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
        throw new IllegalArgumentException("courier.webhook.secret must have at least " + MIN_SECRET_BYTES
            + " bytes (a random one: openssl rand -hex 32)");
      }
    }

    @Override
    public String toString() {
      return "Webhook[" + url + ", secret=****]";
    }
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }

  /**
   * {@code localhost}, or an address literal of the loopback interface; a name is not looked up, since what it
   * resolves to may change.
   */
  static boolean isLoopback(String host) {
    var bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (bare.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!bare.contains(":") && !bare.matches("[0-9.]+")) {
      return false;
    }
    try {
      // a literal: no lookup
      return InetAddress.getByName(bare).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
