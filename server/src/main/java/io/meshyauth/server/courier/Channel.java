package io.meshyauth.server.courier;

/** A way to deliver a message: SMTP, a webhook. */
public interface Channel {
  /** How metrics and the log name it: {@code smtp}, {@code webhook}. */
  String name();

  /**
   * Hands the message over, returning once the receiver has accepted it; a {@link DeliveryException} otherwise,
   * whose message names no code and no address.
   */
  void deliver(RenderedMessage message) throws DeliveryException;
}
