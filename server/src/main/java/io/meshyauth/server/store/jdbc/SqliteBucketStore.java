package io.meshyauth.server.store.jdbc;

import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AbstractProxyManager;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.remote.CommandResult;
import io.github.bucket4j.distributed.remote.MutableBucketEntry;
import io.github.bucket4j.distributed.remote.Request;
import io.meshyauth.server.store.BucketStore;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bucket4j's buckets in the SQLite file. Each operation on a bucket reads, changes and writes its row in one
 * write transaction; SQLite's single writer lock makes that atomic across every process on the file, as
 * {@code SELECT ... FOR UPDATE} does on PostgreSQL. The writes join the store's group commit without a sync of
 * their own ({@link Database#writeWithoutSync}): every process sees a change at once, and only a power cut can
 * lose the last ones, which would give an attacker back a few attempts, never take a login from anyone.
 */
final class SqliteBucketStore extends AbstractProxyManager<String> implements BucketStore {
  /** A bucket's row may go once the bucket has refilled: a missing bucket is a full one. */
  private static final ExpirationAfterWriteStrategy EXPIRY =
      ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ZERO);

  private final Database database;

  SqliteBucketStore(Database database) {
    // the wall clock, in the same units in every process on the file
    super(ClientSideConfig.getDefault().withClientClock(TimeMeter.SYSTEM_MILLISECONDS));
    this.database = database;
  }

  @Override
  public ProxyManager<String> buckets() {
    return this;
  }

  @Override
  public int removeExpired() {
    return database.writeWithoutSync(connection -> {
      try (var delete = connection.prepareStatement("DELETE FROM rate_limit_buckets WHERE expires_at < ?")) {
        delete.setLong(1, System.currentTimeMillis());
        return delete.executeUpdate();
      }
    });
  }

  @Override
  protected <T> CommandResult<T> execute(String key, Request<T> request) {
    var command = request.getCommand();
    return database.writeWithoutSync(connection -> {
      byte[] state = null;
      try (var select = connection.prepareStatement("SELECT state FROM rate_limit_buckets WHERE id = ?")) {
        select.setString(1, key);
        try (var rows = select.executeQuery()) {
          if (rows.next()) {
            state = rows.getBytes(1);
          }
        }
      }
      if (state == null && !command.isInitializationCommand()) {
        return CommandResult.bucketNotFound();
      }
      var entry = new MutableBucketEntry(state);
      long now = currentTimeNanos();
      CommandResult<T> result = command.execute(entry, now);
      if (entry.isStateModified()) {
        long expiresAt = TimeUnit.NANOSECONDS.toMillis(now) + EXPIRY.calculateTimeToLiveMillis(entry.get(), now);
        try (var upsert = connection.prepareStatement("INSERT INTO rate_limit_buckets (id, state, expires_at) "
            + "VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state, "
            + "expires_at = excluded.expires_at")) {
          upsert.setString(1, key);
          upsert.setBytes(2, entry.getStateBytes(request.getBackwardCompatibilityVersion()));
          upsert.setLong(3, expiresAt);
          upsert.executeUpdate();
        }
      }
      return result;
    });
  }

  @Override
  public boolean isAsyncModeSupported() {
    return false;
  }

  @Override
  protected <T> CompletableFuture<CommandResult<T>> executeAsync(String key, Request<T> request) {
    throw new UnsupportedOperationException("the SQLite store has no asynchronous mode");
  }

  @Override
  protected CompletableFuture<Void> removeAsync(String key) {
    throw new UnsupportedOperationException("the SQLite store has no asynchronous mode");
  }

  @Override
  public void removeProxy(String key) {
    database.writeWithoutSync(connection -> {
      try (var delete = connection.prepareStatement("DELETE FROM rate_limit_buckets WHERE id = ?")) {
        delete.setString(1, key);
        return delete.executeUpdate();
      }
    });
  }
}
