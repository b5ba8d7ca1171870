package io.meshyauth.server.store.jdbc;

import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.remote.CommandResult;
import io.github.bucket4j.distributed.remote.Request;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import io.meshyauth.server.store.BucketStore;
import java.time.Duration;

/**
 * Buckets in PostgreSQL through Bucket4j's own manager, so that every node counts against the same limits
 * (SELECT ... FOR UPDATE per bucket). A bucket's row expires once the bucket would be full again. Bucket4j runs
 * its own statements on the pool; they go through {@link Database#call}, so that an unreachable database
 * answers a limit check with 503 as it does any other work.
 */
final class PostgresBucketStore implements BucketStore {
  private static final int REMOVAL_BATCH = 1_000;
  private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;
  private final Database database;

  PostgresBucketStore(Database database) {
    this.database = database;
    var builder = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(database.pool())
        .primaryKeyMapper(PrimaryKeyMapper.STRING)
        .table("rate_limit_buckets")
        .idColumn("id")
        .stateColumn("state")
        .expiresAtColumn("expires_at")
        .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ZERO));
    this.buckets = new PostgreSQLSelectForUpdateBasedProxyManager<>(builder) {
      @Override
      public <T> CommandResult<T> execute(String key, Request<T> request) {
        return database.call(() -> super.execute(key, request));
      }
    };
  }

  @Override
  public ProxyManager<String> buckets() {
    return buckets;
  }

  @Override
  public int removeExpired() {
    return database.call(() -> {
      int removed = 0;
      int batch;
      do {
        batch = buckets.removeExpired(REMOVAL_BATCH);
        removed += batch;
      } while (batch == REMOVAL_BATCH);
      return removed;
    });
  }
}
