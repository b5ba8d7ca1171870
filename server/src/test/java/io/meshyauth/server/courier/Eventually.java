package io.meshyauth.server.courier;

import static org.assertj.core.api.Assertions.fail;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waits for what a background thread does, looking often and giving up only after a generous bound. */
final class Eventually {
  /** Far beyond what any wait here takes, even on a busy machine: reaching it means the thing never happens. */
  private static final long BOUND_NANOS = TimeUnit.SECONDS.toNanos(60);

  private Eventually() {
  }

  static void await(String what, BooleanSupplier condition) {
    var deadline = System.nanoTime() + BOUND_NANOS;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("never happened: " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted waiting for: " + what);
      }
    }
  }
}
