package io.meshyauth.server.limit;

import io.github.bucket4j.Bucket;
import io.meshyauth.server.events.SecurityEvent.BudgetExhausted;
import io.meshyauth.server.events.SecurityEvents;
import io.meshyauth.server.limit.RateLimitExceededException.Policy;
import java.time.Duration;
import java.util.Optional;

/**
 * The budget of wrong verification codes (and security answers) for one username, shared by {@code checkhash},
 * {@code verify} and {@code resetpassword}. As with the failed-login budgets, a check {@linkplain #reserve
 * reserves} its unit before the code is compared and gets it back only when the code was right: with budget B and
 * any number of guesses in flight at once, at most B are compared, and once it is spent every check of that user
 * is refused, the right code included, until the budget refills.
 */
public final class VerificationThrottle {
  private static final String MESSAGE = "Too many wrong verification codes for this user.";

  private final BucketSource buckets;
  private final Policy policy;
  private final SecurityEvents events;

  public VerificationThrottle(BucketSource buckets, long perUsername, Duration window, SecurityEvents events) {
    this.buckets = buckets;
    this.policy = new Policy("failed-verifications-per-username", perUsername, window);
    this.events = events;
  }

  /** One unit of the username's budget, or {@link RateLimitExceededException} when none is left. */
  public Reservation reserve(String accountName, String usernameKey) {
    var bucket = buckets.bucket("verify-user:" + accountName + ":" + usernameKey, Quotas.refillingOver(policy));
    try {
      Quotas.take(bucket, policy, MESSAGE);
    } catch (RateLimitExceededException e) {
      events.report(new BudgetExhausted(policy.name(), Optional.of(accountName), Optional.of(usernameKey),
          Optional.empty()));
      throw e;
    }
    return new Reservation(bucket);
  }

  /** One unit, held while a code is compared. */
  public static final class Reservation {
    private final Bucket bucket;
    private boolean returned;

    private Reservation(Bucket bucket) {
      this.bucket = bucket;
    }

    /** The code was right, or was never compared: the check costs nothing. */
    public void giveBack() {
      if (!returned) {
        returned = true;
        bucket.addTokens(1);
      }
    }
  }
}
