package io.meshyauth.server.courier;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A code on its way to a user: what kind of message, whose, to which address or phone number, and until when the
 * code is good. Its {@link #toString()} shows neither the code nor the address.
 *
 * @param to an e-mail address for the e-mail kinds, a phone number (or whatever the webhook's receiver takes) for
 *     the text kinds
 */
public record Message(Kind kind, String account, String username, String to, String code, Instant expires) {
  /** How the recipient is reached. */
  public enum Medium {
    EMAIL, TEXT;

    /** As the outbox table and the metrics name it: {@code email}, {@code text}. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What the message is for, and how it reaches the user; each has its own templates. */
  public enum Kind {
    VERIFY_EMAIL(Medium.EMAIL), VERIFY_TEXT(Medium.TEXT), RESET_EMAIL(Medium.EMAIL), RESET_TEXT(Medium.TEXT);

    private final Medium medium;

    Kind(Medium medium) {
      this.medium = medium;
    }

    public Medium medium() {
      return medium;
    }

    /** As templates, the outbox table and the webhook name it: {@code verify_email}, ... */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Kind ofId(String id) {
      for (var kind : values()) {
        if (kind.id().equals(id)) {
          return kind;
        }
      }
      throw new IllegalArgumentException("no message kind " + id);
    }
  }

  public Message {
    Objects.requireNonNull(kind, "kind");
    requireText(account, "account");
    requireText(username, "username");
    requireText(to, "to");
    requireText(code, "code");
    Objects.requireNonNull(expires, "expires");
  }

  private static void requireText(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    // an address or a name with a line break in it could add headers to a mail
    if (value.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(name + " must not hold control characters");
    }
  }

  /**
   * The address masked, for logs, the outbox's metadata and the CLI: the first character of an e-mail address's
   * local part and its domain ({@code a***@example.com}), the last two characters of anything else ({@code ***89}).
   */
  public String recipientHint() {
    if (kind.medium() == Medium.EMAIL) {
      int at = to.lastIndexOf('@');
      return at > 0 ? to.charAt(0) + "***" + to.substring(at) : "***";
    }
    return to.length() >= 6 ? "***" + to.substring(to.length() - 2) : "***";
  }

  @Override
  public String toString() {
    return "Message[" + kind.id() + " of " + account + " to " + recipientHint() + "]";
  }
}
