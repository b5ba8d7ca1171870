package io.meshyauth.server.limit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;

/** Where token buckets live: in this process, or in PostgreSQL when several nodes share the limits. */
public interface BucketSource {
  Bucket bucket(String key, BucketConfiguration configuration);

  /** Drops buckets that have refilled completely and so hold nothing; returns how many went. */
  default int removeExpired() {
    return 0;
  }
}
