package io.meshyauth.server.limit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.meshyauth.server.store.BucketStore;

/** Buckets in the store, shared by every process that opens it. */
public final class StoredBuckets implements BucketSource {
  private final BucketStore store;

  public StoredBuckets(BucketStore store) {
    this.store = store;
  }

  @Override
  public Bucket bucket(String key, BucketConfiguration configuration) {
    return store.buckets().builder().build(key, () -> configuration);
  }

  @Override
  public int removeExpired() {
    return store.removeExpired();
  }
}
