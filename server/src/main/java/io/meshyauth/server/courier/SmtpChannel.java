package io.meshyauth.server.courier;

import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Properties;

/**
 * E-mail through an SMTP server (Jakarta Mail, implemented by Eclipse Angus), one connection per message. With
 * {@code starttls} the upgrade is required, never skipped when the server does not offer it; with {@code starttls}
 * and {@code implicit} the server's certificate must chain to the JVM's trusted authorities and name the host.
 * Connecting, each read and each write wait at most the courier's timeout, so that a server that stopped answering
 * fails the attempt instead of holding the dispatcher.
 */
public final class SmtpChannel implements Channel {
  private final CourierSettings.Smtp smtp;
  private final Session session;
  private final InternetAddress from;
  private final Clock clock;

  public SmtpChannel(CourierSettings.Smtp smtp, Duration timeout, Clock clock) {
    this.smtp = smtp;
    this.clock = clock;
    try {
      this.from = new InternetAddress(smtp.from(), true);
    } catch (AddressException e) {
      throw new IllegalArgumentException("courier.smtp.from is not an e-mail address: " + e.getMessage());
    }
    var properties = new Properties();
    properties.setProperty("mail.smtp.host", smtp.host());
    properties.setProperty("mail.smtp.port", Integer.toString(smtp.port()));
    properties.setProperty("mail.smtp.from", from.getAddress());
    var millis = Long.toString(timeout.toMillis());
    properties.setProperty("mail.smtp.connectiontimeout", millis);
    properties.setProperty("mail.smtp.timeout", millis);
    properties.setProperty("mail.smtp.writetimeout", millis);
    properties.setProperty("mail.smtp.auth", Boolean.toString(smtp.user().isPresent()));
    switch (smtp.tls()) {
      case STARTTLS -> {
        properties.setProperty("mail.smtp.starttls.enable", "true");
        properties.setProperty("mail.smtp.starttls.required", "true");
        properties.setProperty("mail.smtp.ssl.checkserveridentity", "true");
      }
      case IMPLICIT -> {
        properties.setProperty("mail.smtp.ssl.enable", "true");
        properties.setProperty("mail.smtp.ssl.checkserveridentity", "true");
      }
      case NONE -> {
        // loopback only: CourierSettings.Smtp refuses it elsewhere
      }
    }
    this.session = Session.getInstance(properties);
  }

  @Override
  public String name() {
    return "smtp";
  }

  @Override
  public void deliver(RenderedMessage rendered) throws DeliveryException {
    InternetAddress to;
    try {
      to = new InternetAddress(rendered.message().to(), true);
      to.validate();
    } catch (AddressException e) {
      throw DeliveryException.permanentFailure("the recipient is not an e-mail address");
    }
    try {
      var mail = new IdentifiedMessage(session, rendered.id(), from);
      mail.setFrom(from);
      mail.setRecipient(RecipientType.TO, to);
      mail.setSubject(rendered.subject(), StandardCharsets.UTF_8.name());
      mail.setText(rendered.text(), StandardCharsets.UTF_8.name());
      mail.setSentDate(Date.from(clock.instant()));
      try (var transport = session.getTransport("smtp")) {
        transport.connect(smtp.host(), smtp.port(), smtp.user().orElse(null), smtp.password().orElse(null));
        transport.sendMessage(mail, mail.getAllRecipients());
      }
    } catch (SendFailedException e) {
      var invalid = e.getInvalidAddresses();
      if (invalid != null && invalid.length > 0) {
        throw DeliveryException.permanentFailure("the SMTP server refused the recipient: " + describe(e));
      }
      throw DeliveryException.transientFailure("the SMTP server did not take the message: " + describe(e), e);
    } catch (MessagingException e) {
      throw DeliveryException.transientFailure("SMTP " + smtp.host() + ":" + smtp.port() + ": " + describe(e), e);
    }
  }

  /** The exception's message and its causes', which say what the server answered or why it could not be reached. */
  private static String describe(Exception e) {
    var text = new StringBuilder(String.valueOf(e.getMessage()));
    for (var cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
      text.append("; ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
    }
    return text.toString();
  }

  /** A mail whose Message-ID is the outbox's id: a message sent twice (see {@link Outbox}) has one id. */
  private static final class IdentifiedMessage extends MimeMessage {
    private final String messageId;

    IdentifiedMessage(Session session, String id, InternetAddress from) {
      super(session);
      var address = from.getAddress();
      this.messageId = "<" + id + address.substring(address.lastIndexOf('@')) + ">";
    }

    @Override
    protected void updateMessageID() throws MessagingException {
      setHeader("Message-ID", messageId);
    }
  }

  @Override
  public String toString() {
    return "SmtpChannel[" + smtp + "]";
  }
}
