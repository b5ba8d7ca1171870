package io.meshyauth.server.limit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Buckets in PostgreSQL, so that every node counts against the same limits (SELECT ... FOR UPDATE per
 * bucket). A bucket's row expires once the bucket would be full again; {@link #removeExpired()} drops them.
 */
public final class PostgresBuckets implements BucketSource {
  private final ProxyManager<String> buckets;

  public PostgresBuckets(DataSource dataSource) {
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
  public Bucket bucket(String key, BucketConfiguration configuration) {
    return buckets.builder().build(key, () -> configuration);
  }
}
