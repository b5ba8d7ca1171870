package io.meshyauth.server.store.jdbc;

import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import io.meshyauth.server.store.BucketStore;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Buckets in PostgreSQL through Bucket4j's own manager, so that every node counts against the same limits
 * (SELECT ... FOR UPDATE per bucket). A bucket's row expires once the bucket would be full again.
 */
final class PostgresBucketStore implements BucketStore {
  private static final int REMOVAL_BATCH = 1_000;
  private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;

  PostgresBucketStore(DataSource dataSource) {
    this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
        .primaryKeyMapper(PrimaryKeyMapper.STRING)
        .table("rate_limit_buckets")
        .idColumn("id")
        .stateColumn("state")
        .expiresAtColumn("expires_at")
        .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ZERO))
        .build();
  }

  @Override
  public ProxyManager<String> buckets() {
    return buckets;
  }

  @Override
  public int removeExpired() {
    int removed = 0;
    int batch;
    do {
      batch = buckets.removeExpired(REMOVAL_BATCH);
      removed += batch;
    } while (batch == REMOVAL_BATCH);
    return removed;
  }
}
