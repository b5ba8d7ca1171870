package io.meshyauth.server.store;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;

/**
 * Every store contract, on the database a subclass provides: one store per test class, and a fresh database
 * for each test that asks its backend for one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StoreSuite {
  private Stores stores;

  /** Called once, before any test, so a subclass may set up what its backend needs first. */
  abstract Backend backend();

  @BeforeAll
  void openStore() {
    stores = backend().newDatabase().open();
  }

  @AfterAll
  void closeStore() {
    stores.close();
  }

  @Nested
  class Accounts extends AccountStoreContract {
    @Override
    Stores stores() {
      return stores;
    }

    @Override
    Backend backend() {
      return StoreSuite.this.backend();
    }
  }

  @Nested
  class Users extends UserStoreContract {
    @Override
    Stores stores() {
      return stores;
    }

    @Override
    Backend backend() {
      return StoreSuite.this.backend();
    }
  }

  @Nested
  class RefreshTokens extends RefreshTokenStoreContract {
    @Override
    Stores stores() {
      return stores;
    }

    @Override
    Backend backend() {
      return StoreSuite.this.backend();
    }
  }

  @Nested
  class SigningKeys extends SigningKeyStoreContract {
    @Override
    Stores stores() {
      return stores;
    }

    @Override
    Backend backend() {
      return StoreSuite.this.backend();
    }
  }

  @Nested
  class Lifecycle extends LifecycleContract {
    @Override
    Stores stores() {
      return stores;
    }

    @Override
    Backend backend() {
      return StoreSuite.this.backend();
    }
  }
}
