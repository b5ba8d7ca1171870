package io.meshyauth.server.store;

/**
 * What every store contract test needs: the store of the enclosing test class, shared by its tests (which keep
 * apart by unique names), and the backend, for a test that needs a database of its own.
 */
abstract class StoreContract {
  abstract Stores stores();

  abstract Backend backend();
}
