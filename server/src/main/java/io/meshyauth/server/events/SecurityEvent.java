package io.meshyauth.server.events;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Something an operator may have to answer for: a login and its outcome, a budget spent, a replayed refresh token,
 * a change to a user or a signing key, an operator's command. {@link #name()} is the stable {@code event} field of
 * its audit line; {@link #fields()} are the rest. No constructor here takes a password, a token or a key.
 */
public sealed interface SecurityEvent {
  /** The audit line's {@code event}, e.g. {@code login.failed}; names are part of the operators' interface. */
  String name();

  /** The audit line's other fields, in order; a value that is absent is left out. */
  Map<String, Object> fields();

  /** Whether the event may be an attack in progress; its audit line is then a warning. */
  default boolean alarming() {
    return false;
  }

  /** A password grant that issued tokens. */
  record LoginSucceeded(String account, String client, String username, String userId, String ip)
      implements SecurityEvent {
    @Override
    public String name() {
      return "login.succeeded";
    }

    @Override
    public Map<String, Object> fields() {
      return ordered("account", account, "client", client, "username", username, "user_id", userId, "ip", ip);
    }
  }

  /**
   * A password that was checked and refused, or a user who may not log in. {@code reason}: {@value
   * #INVALID_CREDENTIALS} (unknown user or wrong password, told apart nowhere), {@value #USER_INACTIVE}, or
   * {@value #INVALID_PREVIOUS_PASSWORD} (a password change with the wrong current password).
   */
  record LoginFailed(String account, String client, String username, String ip, String reason)
      implements SecurityEvent {
    public static final String INVALID_CREDENTIALS = "invalid_credentials";
    public static final String USER_INACTIVE = "user_inactive";
    public static final String INVALID_PREVIOUS_PASSWORD = "invalid_previous_password";
    public static final String USER_NOT_VERIFIED = "user_not_verified";

    @Override
    public String name() {
      return "login.failed";
    }

    @Override
    public Map<String, Object> fields() {
      return ordered("account", account, "client", client, "username", username, "ip", ip, "reason", reason);
    }
  }

  /**
   * A request refused with 429 because {@code budget} (the name in its {@code RateLimit-Policy} header) was spent;
   * one event per refused request. The username and address are those the budget counts, where it counts them.
   */
  record BudgetExhausted(String budget, Optional<String> account, Optional<String> username, Optional<String> ip)
      implements SecurityEvent {
    @Override
    public String name() {
      return "budget.exhausted";
    }

    @Override
    public Map<String, Object> fields() {
      return ordered("budget", budget, "account", account.orElse(null), "username", username.orElse(null),
          "ip", ip.orElse(null));
    }

    @Override
    public boolean alarming() {
      return true;
    }
  }

  /**
   * A rotated refresh token presented again after the grace window: taken for a replay, its whole family (the
   * login's session, the access tokens' {@code sid}) is revoked.
   */
  record RefreshTokenReused(String account, String client, String userId, String family, String ip)
      implements SecurityEvent {
    @Override
    public String name() {
      return "refresh_token.reused";
    }

    @Override
    public Map<String, Object> fields() {
      return ordered("account", account, "client", client, "user_id", userId, "family", family, "ip", ip,
          "action", "family_revoked");
    }

    @Override
    public boolean alarming() {
      return true;
    }
  }

  /** An operator deactivated, reactivated or deleted a user. */
  record UserChanged(Change change, String account, String username, String userId) implements SecurityEvent {
    public enum Change {
      DEACTIVATED, REACTIVATED, DELETED
    }

    @Override
    public String name() {
      return "user." + change.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public Map<String, Object> fields() {
      return ordered("account", account, "username", username, "user_id", userId);
    }
  }

  /**
   * A step of self-service sign-up or recovery: a user registered, a code was queued for it, it verified its
   * contact, asked for a reset, reset its password, or presented a wrong code or answer.
   */
  record SignUpStep(Step step, String account, String username, String userId, String ip) implements SecurityEvent {
    public enum Step {
      REGISTERED, CODE_SENT, VERIFIED, RESET_REQUESTED, PASSWORD_RESET, VERIFICATION_FAILED
    }

    @Override
    public String name() {
      return "user." + step.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public Map<String, Object> fields() {
      return ordered("account", account, "username", username, "user_id", userId, "ip", ip);
    }

    @Override
    public boolean alarming() {
      return step == Step.VERIFICATION_FAILED;
    }
  }

  /**
   * A new signing key took over for an account: by an operator's {@code keys rotate} ({@value #BY_OPERATOR}), or
   * because the last one reached the end of its rotation period ({@value #BY_SCHEDULE}).
   */
  record KeyRotated(String account, String kid, String trigger) implements SecurityEvent {
    public static final String BY_OPERATOR = "operator";
    public static final String BY_SCHEDULE = "schedule";

    @Override
    public String name() {
      return "key.rotated";
    }

    @Override
    public Map<String, Object> fields() {
      return ordered("account", account, "kid", kid, "trigger", trigger);
    }
  }

  /**
   * An admin command ran: its name ({@code users deactivate}), its positional arguments by their label (account,
   * username: never an option's value, where a store URL may carry a password), who ran it (the operating system
   * user) and how it ended: {@code ok}, or {@code failed} with a reason.
   */
  record AdminCommand(String command, Map<String, String> arguments, String operator, String outcome,
      Optional<String> reason) implements SecurityEvent {
    public AdminCommand {
      arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
    }

    @Override
    public String name() {
      return "admin.command";
    }

    @Override
    public Map<String, Object> fields() {
      var fields = ordered("command", command);
      fields.putAll(arguments);
      fields.putAll(ordered("operator", operator, "outcome", outcome, "reason", reason.orElse(null)));
      return fields;
    }
  }

  private static Map<String, Object> ordered(Object... keysAndValues) {
    var fields = new LinkedHashMap<String, Object>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (keysAndValues[i + 1] != null) {
        fields.put((String) keysAndValues[i], keysAndValues[i + 1]);
      }
    }
    return fields;
  }
}
