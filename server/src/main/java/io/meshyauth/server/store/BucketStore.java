package io.meshyauth.server.store;

import io.github.bucket4j.distributed.proxy.ProxyManager;

/**
 * Rate-limit buckets kept in the database (Bucket4j's state, one row per bucket), so that every process that
 * opens the store counts against the same limits: several servers on one SQLite file, or several nodes on
 * one PostgreSQL.
 */
public interface BucketStore {
  ProxyManager<String> buckets();

  /** Drops buckets that have refilled completely and so hold nothing; returns how many went. */
  int removeExpired();
}
