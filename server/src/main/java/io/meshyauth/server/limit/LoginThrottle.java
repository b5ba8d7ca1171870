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
  private static final Subject USERS = new Subject("login", "failed-logins-per-username-and-ip",
      "failed-logins-per-username", "failed-logins-per-ip", "Too many failed logins for this user.",
      "Too many failed logins from this address.");
  private static final Subject CLIENTS = new Subject("client-auth", "failed-client-authentications-per-client-and-ip",
      "failed-client-authentications-per-client", "failed-client-authentications-per-ip",
      "Too many failed authentications of this client.", "Too many failed client authentications from this address.");

  private final BucketSource buckets;
  private final Subject subject;
  private final Policy perUsernameAndIp;
  private final Policy perUsername;
  private final Policy perIp;
  private final SecurityEvents events;

  /**
   * Whose failures are counted: users' logins or confidential clients' authentications, each in buckets of their
   * own.
   */
  private record Subject(String prefix, String perSubjectAndIp, String perSubject, String perIp, String subjectMessage,
      String addressMessage) {
  }

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
    this(buckets, budgets, events, USERS);
  }

  /**
   * The same three budgets for confidential clients' failed authentications (the client id in the username's
   * place), kept apart from the logins': a wrong client secret spends nothing of a user's budget.
   */
  public static LoginThrottle forClients(BucketSource buckets, Budgets budgets, SecurityEvents events) {
    return new LoginThrottle(buckets, budgets, events, CLIENTS);
  }

  private LoginThrottle(BucketSource buckets, Budgets budgets, SecurityEvents events, Subject subject) {
    this.buckets = buckets;
    this.events = events;
    this.subject = subject;
    this.perUsernameAndIp = new Policy(subject.perSubjectAndIp(), budgets.perUsernameAndIp(), budgets.window());
    this.perUsername = new Policy(subject.perSubject(), budgets.perUsername(), budgets.window());
    this.perIp = new Policy(subject.perIp(), budgets.perIp(), budgets.window());
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
      var prefix = subject.prefix();
      taken.add(take(bucket(prefix + "-user-ip:" + user + "@" + clientIp, perUsernameAndIp), perUsernameAndIp,
          subject.subjectMessage()));
      taken.add(take(bucket(prefix + "-ip:" + clientIp, perIp), perIp, subject.addressMessage()));
      taken.add(take(bucket(prefix + "-user:" + user, perUsername), perUsername, subject.subjectMessage()));
    } catch (RateLimitExceededException e) {
      Reservation.giveBack(taken);
      exhausted(e, accountName, usernameKey, clientIp);
      throw e;
    }
    return new Reservation(taken);
  }

  /**
   * For a check that costs next to nothing (a client secret's hash), whose failures are {@linkplain #countFailure
   * counted after it} instead of reserved before: refuses while any of the three budgets is spent, so that once a
   * budget is spent a right secret gets the same 429 as a wrong one, and takes nothing, so that right secrets in
   * flight at once hold no units and are never refused for each other.
   */
  public void requireRoom(String accountName, String key, String clientIp) {
    var user = accountName + ":" + key;
    var prefix = subject.prefix();
    try {
      Quotas.requireUnit(bucket(prefix + "-user-ip:" + user + "@" + clientIp, perUsernameAndIp), perUsernameAndIp,
          subject.subjectMessage());
      Quotas.requireUnit(bucket(prefix + "-ip:" + clientIp, perIp), perIp, subject.addressMessage());
      Quotas.requireUnit(bucket(prefix + "-user:" + user, perUsername), perUsername, subject.subjectMessage());
    } catch (RateLimitExceededException e) {
      exhausted(e, accountName, key, clientIp);
      throw e;
    }
  }

  /**
   * Counts a failed check against every budget, or refuses it with 429 when one is spent (then nothing is counted):
   * so with a budget of B, at most B failures are ever answered as failures, however many arrive at once.
   */
  public void countFailure(String accountName, String key, String clientIp) {
    reserve(accountName, key, clientIp);
  }

  private void exhausted(RateLimitExceededException e, String accountName, String key, String clientIp) {
    events.report(new BudgetExhausted(e.policy().name(), Optional.of(accountName),
        Optional.of(key).filter(k -> !k.isEmpty()), Optional.of(clientIp)));
  }

  private Bucket bucket(String key, Policy policy) {
    return buckets.bucket(key, Quotas.refillingOver(policy));
  }

  private static Bucket take(Bucket bucket, Policy policy, String description) {
    Quotas.take(bucket, policy, description);
    return bucket;
  }
}
