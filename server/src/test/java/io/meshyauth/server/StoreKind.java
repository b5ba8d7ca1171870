package io.meshyauth.server;

import io.meshyauth.server.store.PostgresBackend;
import io.meshyauth.server.store.Stores;
import io.meshyauth.server.store.jdbc.JdbcStores;

/** The two stores every HTTP test runs on. */
enum StoreKind {
  SQLITE {
    @Override
    Stores open() {
      return JdbcStores.temporary();
    }
  },
  POSTGRESQL {
    @Override
    Stores open() {
      return PostgresBackend.shared().newStores();
    }
  };

  abstract Stores open();
}
