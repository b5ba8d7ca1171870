package io.meshyauth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A throwaway PostgreSQL for a run with --postgres: writes its JDBC URL to a file (stdout carries the log), and
 * stops when this process is stopped.
 */
@Command(name = "postgres", mixinStandardHelpOptions = true, description = "Run an embedded PostgreSQL until stopped.")
final class PostgresCommand implements Callable<Integer> {
  @Option(names = "--url-file", required = true, description = "Where to write the JDBC URL once it is up.")
  Path urlFile;

  @Override
  public Integer call() throws Exception {
    var postgres = DurablePostgres.start();
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        postgres.close();
      } catch (IOException e) {
        System.err.println("stopping PostgreSQL failed: " + e);
      }
      stopped.countDown();
    }));
    var url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres?user=postgres&password=postgres";
    // written whole, then moved: whoever waits for the file never reads half of it
    var partial = Files.writeString(urlFile.resolveSibling(urlFile.getFileName() + ".partial"), url + "\n");
    Files.move(partial, urlFile, StandardCopyOption.ATOMIC_MOVE);
    stopped.await();
    return 0;
  }
}
