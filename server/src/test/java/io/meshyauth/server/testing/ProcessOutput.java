package io.meshyauth.server.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A process's output lines as they come, drained on a thread of their own so that a full pipe never blocks it. */
public record ProcessOutput(List<String> lines) {
  public static ProcessOutput of(Process process) {
    var output = new ProcessOutput(new CopyOnWriteArrayList<>());
    var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture.runAsync(() -> reader.lines().forEach(output.lines::add), Daemons.THREADS);
    return output;
  }

  /** The first line {@code wanted} accepts, waiting up to a minute for it. */
  public String await(Predicate<String> wanted) throws InterruptedException {
    var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      var found = lines.stream().filter(wanted).findFirst();
      if (found.isPresent()) {
        return found.get();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no such line in: " + lines);
  }
}
