-- Token buckets of the rate limits when several nodes share PostgreSQL (Bucket4j's JDBC layout).
-- The embedded SQLite store keeps its buckets in memory and leaves this table empty.
CREATE TABLE rate_limit_buckets (
  id         TEXT   NOT NULL PRIMARY KEY,
  state      BYTEA,
  expires_at BIGINT -- epoch milliseconds after which the bucket is full again and can be dropped
);
