package io.meshyauth.server.store;

import io.meshyauth.server.testing.InMemoryStores;

/**
 * The store contract on the in-memory fake the grant tests run on: it must answer every case as the JDBC store
 * does, or those tests would prove nothing about the server.
 */
class InMemoryStoreTest extends StoreSuite {
  @Override
  Backend backend() {
    return () -> new InMemoryStores()::open;
  }
}
