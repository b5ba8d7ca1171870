package io.meshyauth.server.testing;

import java.util.concurrent.Executor;

/**
 * A daemon thread per task, for tests that wait on or drain other processes. Not the common pool: on two cores it
 * has a single worker, and one task blocked reading a live process's output would keep every later task waiting.
 */
public final class Daemons {
  public static final Executor THREADS = task -> {
    var thread = new Thread(task, "test-daemon");
    thread.setDaemon(true);
    thread.start();
  };

  private Daemons() {
  }
}
