package io.meshyauth.server.store;

/** Where the store tests get their databases: SQLite files or PostgreSQL databases. */
@FunctionalInterface
interface Backend {
  TestDatabase newDatabase();
}
