package io.meshyauth.server.store;

/** The narrow stores the grant logic works on; one implementation may back all three. */
public record Stores(AccountStore accounts, UserStore users, RefreshTokenStore refreshTokens) {

  /** An embedded, in-process store: zero setup, lost when the process ends. */
  public static Stores inMemory() {
    var store = new InMemoryStore();
    return new Stores(store, store, store);
  }
}
