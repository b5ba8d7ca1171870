package io.meshyauth.server.limit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Buckets of one node. Keys come from clients (usernames, addresses), so the map is bounded: when it is
 * full, buckets that have refilled completely (they hold no information) are dropped first, then arbitrary
 * ones until a tenth of the room is free; a flood of distinct keys can make the node forget some counts,
 * never run out of memory.
 */
public final class InMemoryBuckets implements BucketSource {
  private final Map<String, Entry> buckets = new ConcurrentHashMap<>();
  private final int maxBuckets;

  private record Entry(Bucket bucket, long capacity) {
    boolean isFull() {
      return bucket.getAvailableTokens() >= capacity;
    }
  }

  public InMemoryBuckets(int maxBuckets) {
    this.maxBuckets = maxBuckets;
  }

  @Override
  public Bucket bucket(String key, BucketConfiguration configuration) {
    var entry = buckets.get(key);
    if (entry != null) {
      return entry.bucket();
    }
    if (buckets.size() >= maxBuckets) {
      evict();
    }
    return buckets.computeIfAbsent(key, k -> {
      var builder = Bucket.builder();
      long capacity = Long.MAX_VALUE;
      for (var bandwidth : configuration.getBandwidths()) {
        builder.addLimit(bandwidth);
        capacity = Math.min(capacity, bandwidth.getCapacity());
      }
      return new Entry(builder.build(), capacity);
    }).bucket();
  }

  private synchronized void evict() {
    if (buckets.size() < maxBuckets) {
      return;
    }
    buckets.values().removeIf(Entry::isFull);
    var excess = buckets.size() - maxBuckets * 9 / 10;
    var keys = buckets.keySet().iterator();
    while (excess-- > 0 && keys.hasNext()) {
      keys.next();
      keys.remove();
    }
  }
}
