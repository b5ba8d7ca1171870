package io.meshyauth.server.courier;

import java.util.Objects;

/**
 * A message as its recipient reads it: its templates rendered. The id, chosen when it is rendered, names it in
 * the outbox, in the log, and to the receiver (the webhook's {@code id}, the mail's {@code Message-ID}), so that a
 * receiver can recognise a message sent twice (see {@link Courier}).
 */
public record RenderedMessage(String id, Message message, String subject, String text) {
  public RenderedMessage {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(text, "text");
  }

  @Override
  public String toString() {
    return "RenderedMessage[" + id + ", " + message + "]";
  }
}
