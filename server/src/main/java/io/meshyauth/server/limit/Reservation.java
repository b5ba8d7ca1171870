package io.meshyauth.server.limit;

import io.github.bucket4j.Bucket;
import java.util.List;

/** One unit of each budget a guess counts against, held while the guess is checked (see {@link LoginThrottle}). */
public final class Reservation {
  private final List<Bucket> taken;
  private boolean returned;

  Reservation(List<Bucket> taken) {
    this.taken = List.copyOf(taken);
  }

  /** The guess was right, or was never checked: it costs nothing. */
  public void giveBack() {
    if (!returned) {
      returned = true;
      giveBack(taken);
    }
  }

  /** A bucket never holds more than its capacity, so a unit given back after a refill is not a bonus. */
  static void giveBack(List<Bucket> taken) {
    taken.forEach(bucket -> bucket.addTokens(1));
  }
}
