package io.meshyauth.bench.jmh;

import io.meshyauth.bench.DurablePostgres;
import io.meshyauth.server.store.RefreshTokenRecord;
import io.meshyauth.server.store.RotationOutcome;
import io.meshyauth.server.store.Stores;
import io.meshyauth.server.store.User;
import io.meshyauth.server.store.jdbc.JdbcStores;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One refresh token rotation as the refresh grant commits it: the presented token spent and its successor
 * stored in one durable transaction (SQLite in WAL with synchronous=FULL in a file; PostgreSQL with fsync and
 * synchronous_commit on). Each benchmark thread follows its own chain in the one shared store, so
 * {@code -t 8} shows what concurrent rotations cost when each waits for its commit.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RotationBenchmark {
  @Param({"sqlite", "postgresql"})
  public String store;

  private EmbeddedPostgres postgres;
  private java.nio.file.Path directory;
  private Stores stores;
  private User user;

  /** One client's rotation chain. */
  @State(Scope.Thread)
  public static class Chain {
    private String family;
    private String current;

    @Setup
    public void setUp(RotationBenchmark benchmark) {
      family = UUID.randomUUID().toString();
      current = UUID.randomUUID().toString();
      benchmark.stores.refreshTokens().saveRefreshToken(benchmark.token(family, current, Instant.now()));
    }
  }

  @Setup
  public void setUp() throws IOException {
    directory = Files.createTempDirectory("rotation-bench");
    if (store.equals("postgresql")) {
      postgres = DurablePostgres.start();
      stores = JdbcStores.open(postgres.getJdbcUrl("postgres", "postgres"),
          Optional.of(directory.resolve("meshy-auth.key")));
    } else {
      stores = JdbcStores.sqlite(directory.resolve("store.db"));
    }
    Fixtures.account(stores);
    user = Fixtures.user(stores);
  }

  @TearDown
  public void tearDown() throws IOException {
    stores.close();
    if (postgres != null) {
      postgres.close();
    }
  }

  @Benchmark
  public RotationOutcome rotate(Chain chain) {
    var now = Instant.now();
    var successor = UUID.randomUUID().toString();
    var outcome = stores.refreshTokens().rotate(chain.current, Optional.of(token(chain.family, successor, now)), now,
        Duration.ZERO);
    if (outcome != RotationOutcome.ROTATED) {
      throw new IllegalStateException("rotation gave " + outcome);
    }
    chain.current = successor;
    return outcome;
  }

  private RefreshTokenRecord token(String family, String hash, Instant now) {
    return RefreshTokenRecord.issued(hash, family, Fixtures.ACCOUNT, Fixtures.CLIENT_ID, user.id(), Fixtures.SCOPE,
        now, now.plus(Duration.ofDays(30)), now.plus(Duration.ofDays(90)));
  }
}
