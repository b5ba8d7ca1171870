package io.meshyauth.server.store;

/** An empty database of its own that a test may open, close and open again. */
@FunctionalInterface
public interface TestDatabase {
  /** Opens the store on this database, migrating it first as any opening does. */
  Stores open();
}
