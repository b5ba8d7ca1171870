package io.meshyauth.server.store;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The store contract on PostgreSQL: one database per test class, and a new one for each test that asks. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(PostgresBackend.Extension.class)
class PostgresStoreTest {
  private Backend backend;
  private Stores stores;

  @BeforeAll
  void open(PostgresBackend postgres) {
    backend = postgres;
    stores = backend.newDatabase().open();
  }

  @AfterAll
  void close() {
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
      return backend;
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
      return backend;
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
      return backend;
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
      return backend;
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
      return backend;
    }
  }
}
