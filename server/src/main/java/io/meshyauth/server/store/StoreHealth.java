package io.meshyauth.server.store;

/** What {@link Stores#ping} found: whether the store answered, and whether this process can read its signing keys. */
public enum StoreHealth {
  /** The store answered, and it records the key-encryption key this process holds. */
  READY,
  /** The store did not answer within the timeout. */
  STORE_TIMED_OUT,
  /** The store failed the query: unreachable, closed, or refusing connections. */
  STORE_FAILED,
  /**
   * The store answered but records another key-encryption key than this process holds, or none: this process
   * cannot read the signing keys other nodes wrote, nor write keys they can read.
   */
  KEYS_UNREADABLE
}
