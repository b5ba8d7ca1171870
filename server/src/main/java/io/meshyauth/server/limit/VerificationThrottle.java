package io.meshyauth.server.limit;

import io.github.bucket4j.Bucket;
import io.meshyauth.server.events.SecurityEvent.BudgetExhausted;
import io.meshyauth.server.events.SecurityEvents;
import io.meshyauth.server.limit.RateLimitExceededException.Policy;
import java.util.ArrayList;
import java.util.Optional;

/**
 * The budgets of sign-up and recovery codes. Wrong codes (and security answers) are counted for one username, shared
 * by {@code checkhash}, {@code verify} and {@code resetpassword}, and for one client address, whatever the
 * usernames: as with the failed-login budgets, a check {@linkplain #reserve reserves} a unit of each before the code
 * is compared and gets them back only when the code was right, so with any number of guesses in flight no more than
 * the budget are compared, and once one is spent every check it covers is refused, the right code included, until
 * it refills. Codes sent to one username ({@link #takeCode}) have a budget of their own, so that nobody can flood
 * a user's inbox or phone from many addresses.
 */
public final class VerificationThrottle {
  private static final String USER_MESSAGE = "Too many wrong verification codes for this user.";
  private static final String ADDRESS_MESSAGE = "Too many wrong verification codes from this address.";
  private static final String CODES_MESSAGE = "Too many codes were sent to this user.";

  private final BucketSource buckets;
  private final Policy perUsername;
  private final Policy perIp;
  private final Policy codesPerUsername;
  private final SecurityEvents events;

  /** The budgets, each over its window. */
  public record Budgets(Policy perUsername, Policy perIp, Policy codesPerUsername) {
  }

  public VerificationThrottle(BucketSource buckets, Budgets budgets, SecurityEvents events) {
    this.buckets = buckets;
    this.perUsername = budgets.perUsername();
    this.perIp = budgets.perIp();
    this.codesPerUsername = budgets.codesPerUsername();
    this.events = events;
  }

  /**
   * One unit of the address's budget and of the username's, the narrower first, or {@link RateLimitExceededException}
   * when either is spent (the unit already taken is given back).
   */
  public Reservation reserve(String accountName, String usernameKey, String clientIp) {
    var taken = new ArrayList<Bucket>(2);
    try {
      taken.add(take(bucket("verify-ip:" + clientIp, perIp), perIp, ADDRESS_MESSAGE));
      taken.add(take(bucket("verify-user:" + accountName + ":" + usernameKey, perUsername), perUsername,
          USER_MESSAGE));
    } catch (RateLimitExceededException e) {
      Reservation.giveBack(taken);
      events.report(new BudgetExhausted(e.policy().name(), Optional.of(accountName), Optional.of(usernameKey),
          Optional.of(clientIp)));
      throw e;
    }
    return new Reservation(taken);
  }

  /** One code more for the username, or {@link RateLimitExceededException} when its budget is spent. */
  public void takeCode(String accountName, String usernameKey) {
    try {
      take(bucket("codes-user:" + accountName + ":" + usernameKey, codesPerUsername), codesPerUsername,
          CODES_MESSAGE);
    } catch (RateLimitExceededException e) {
      events.report(new BudgetExhausted(e.policy().name(), Optional.of(accountName), Optional.of(usernameKey),
          Optional.empty()));
      throw e;
    }
  }

  private Bucket bucket(String key, Policy policy) {
    return buckets.bucket(key, Quotas.refillingOver(policy));
  }

  private static Bucket take(Bucket bucket, Policy policy, String description) {
    Quotas.take(bucket, policy, description);
    return bucket;
  }
}
