package io.meshyauth.server.limit;

import io.github.bucket4j.Bucket;
import io.meshyauth.server.events.SecurityEvent.BudgetExhausted;
import io.meshyauth.server.events.SecurityEvents;
import io.meshyauth.server.limit.RateLimitExceededException.Policy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Optional;

/**
 * Brute-force protection for the password grant (RFC 6749 section 4.3.2). Three budgets of failed logins, each
 * refilling over the window:
 * <ul>
 *   <li>per username and client address: one attacker guessing at one user, without locking that user out for
 *   everyone else;
 *   <li>per username from every address: a distributed guess at one user;
 *   <li>per client address: one address spraying many usernames.
 * </ul>
 *
 * <p>A login {@linkplain #reserve reserves} one unit of each budget before its password is checked, and gets
 * them back only if the password was right (or was never checked). So with budget B and any number of wrong
 * guesses in flight at once, at most B are checked: the count is decided before the hashing, not after it.
 */
public final class LoginThrottle {
  private static final String USER_MESSAGE = "Too many failed logins for this user.";
  private static final String ADDRESS_MESSAGE = "Too many failed logins from this address.";

  private final BucketSource buckets;
  private final Policy perUsernameAndIp;
  private final Policy perUsername;
  private final Policy perIp;
  private final SecurityEvents events;

  /** The three budgets and the window over which each refills. */
  public record Budgets(long perUsernameAndIp, long perUsername, long perIp, Duration window) {
    public static Budgets standard() {
      return new Budgets(10, 100, 100, Duration.ofMinutes(15));
    }

    public Budgets {
      if (perUsernameAndIp < 1 || perUsername < 1 || perIp < 1 || window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("failed-login budgets must be at least 1 over a positive window");
      }
    }
  }

  public LoginThrottle(BucketSource buckets, Budgets budgets) {
    this(buckets, budgets, SecurityEvents.NONE);
  }

  public LoginThrottle(BucketSource buckets, Budgets budgets, SecurityEvents events) {
    this.buckets = buckets;
    this.events = events;
    this.perUsernameAndIp = new Policy("failed-logins-per-username-and-ip", budgets.perUsernameAndIp(),
        budgets.window());
    this.perUsername = new Policy("failed-logins-per-username", budgets.perUsername(), budgets.window());
    this.perIp = new Policy("failed-logins-per-ip", budgets.perIp(), budgets.window());
  }

  /**
   * Takes one unit of every budget, the narrowest first, so that an attacker refused by his own budget spends
   * nothing of the ones other addresses share. When one is empty, the units already taken are given back and
   * the attempt is refused with the time until that budget has a unit again.
   */
  public Reservation reserve(String accountName, String usernameKey, String clientIp) {
    var user = accountName + ":" + usernameKey;
    var taken = new ArrayList<Bucket>(3);
    try {
      taken.add(take(bucket("login-user-ip:" + user + "@" + clientIp, perUsernameAndIp), perUsernameAndIp,
          USER_MESSAGE));
      taken.add(take(bucket("login-ip:" + clientIp, perIp), perIp, ADDRESS_MESSAGE));
      taken.add(take(bucket("login-user:" + user, perUsername), perUsername, USER_MESSAGE));
    } catch (RateLimitExceededException e) {
      Reservation.giveBack(taken);
      events.report(new BudgetExhausted(e.policy().name(), Optional.of(accountName),
          Optional.of(usernameKey).filter(key -> !key.isEmpty()), Optional.of(clientIp)));
      throw e;
    }
    return new Reservation(taken);
  }

  private Bucket bucket(String key, Policy policy) {
    return buckets.bucket(key, Quotas.refillingOver(policy));
  }

  private static Bucket take(Bucket bucket, Policy policy, String description) {
    Quotas.take(bucket, policy, description);
    return bucket;
  }
}
