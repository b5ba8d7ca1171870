package io.meshyauth.server.store;

/** The store contract on PostgreSQL: one database per test class, and a new one for each test that asks. */
class PostgresStoreTest extends StoreSuite {
  @Override
  Backend backend() {
    return PostgresBackend.shared();
  }
}
