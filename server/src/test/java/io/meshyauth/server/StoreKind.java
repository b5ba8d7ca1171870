package io.meshyauth.server;

import io.meshyauth.server.store.PostgresBackend;
import io.meshyauth.server.store.Stores;

/** The two stores every HTTP test runs on. */
enum StoreKind {
  SQLITE {
    @Override
    Stores open() {
      return Stores.temporary();
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
