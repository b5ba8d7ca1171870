package io.meshyauth.server.courier;

/**
 * A message was not delivered. Permanent when trying again cannot help (an address that is no address); the
 * courier retries every other failure until it runs out of attempts.
 */
public final class DeliveryException extends Exception {
  private final boolean permanent;

  private DeliveryException(String message, boolean permanent, Throwable cause) {
    super(message, cause);
    this.permanent = permanent;
  }

  /** A failure that may pass: the receiver unreachable, slow, refusing for now. */
  public static DeliveryException transientFailure(String message, Throwable cause) {
    return new DeliveryException(message, false, cause);
  }

  public static DeliveryException transientFailure(String message) {
    return new DeliveryException(message, false, null);
  }

  /** A failure that trying again cannot help. */
  public static DeliveryException permanentFailure(String message) {
    return new DeliveryException(message, true, null);
  }

  public boolean permanent() {
    return permanent;
  }
}
