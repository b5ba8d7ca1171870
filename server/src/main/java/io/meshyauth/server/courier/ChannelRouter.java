package io.meshyauth.server.courier;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which channel delivers which kind: e-mail kinds by SMTP, text kinds by the webhook; with only the webhook,
 * everything by the webhook. With only SMTP, text messages have no channel.
 */
public final class ChannelRouter {
  private final Optional<Channel> smtp;
  private final Optional<Channel> webhook;

  public ChannelRouter(Optional<Channel> smtp, Optional<Channel> webhook) {
    if (smtp.isEmpty() && webhook.isEmpty()) {
      throw new IllegalArgumentException("the courier needs a channel: set courier.smtp.host (e-mail) or "
          + "courier.webhook.url (text messages, or everything)");
    }
    this.smtp = smtp;
    this.webhook = webhook;
  }

  /** The channels the settings name. */
  public static ChannelRouter of(CourierSettings settings, Clock clock) {
    return new ChannelRouter(
        settings.smtp().map(smtp -> new SmtpChannel(smtp, settings.timeout(), clock)),
        settings.webhook().map(webhook -> new WebhookChannel(webhook, settings.timeout(), clock)));
  }

  public Optional<Channel> channelFor(Message.Kind kind) {
    return switch (kind.medium()) {
      case EMAIL -> smtp.or(() -> webhook);
      case TEXT -> webhook;
    };
  }

  public List<Channel> channels() {
    var all = new ArrayList<Channel>(2);
    smtp.ifPresent(all::add);
    webhook.ifPresent(all::add);
    return all;
  }
}
