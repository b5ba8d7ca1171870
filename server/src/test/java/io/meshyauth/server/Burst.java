package io.meshyauth.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/** Many requests in flight at once: every sender waits at a gate, then all go together. */
final class Burst {
  private Burst() {
  }

  static <T> List<T> of(int size, IntFunction<T> request) {
    var gate = new CountDownLatch(1);
    var pool = Executors.newFixedThreadPool(size);
    try {
      var futures = new ArrayList<Future<T>>(size);
      for (int i = 0; i < size; i++) {
        int index = i;
        futures.add(pool.submit(() -> {
          gate.await();
          return request.apply(index);
        }));
      }
      gate.countDown();
      var results = new ArrayList<T>(size);
      for (var future : futures) {
        results.add(future.get());
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } catch (ExecutionException e) {
      throw new AssertionError("a request of the burst failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** How many answers of the burst had this status. */
  static long count(List<SpecCheckedHttp.Answer> answers, int status) {
    return answers.stream().filter(answer -> answer.status() == status).count();
  }
}
