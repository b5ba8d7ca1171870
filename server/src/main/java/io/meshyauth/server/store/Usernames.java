package io.meshyauth.server.store;

import java.text.Normalizer;
import java.util.Locale;

/**
 * How usernames are compared: surrounding white space trimmed, Unicode NFC, lower-cased without regard to
 * the server's locale. "Alice", " alice " and "ALICE" are one user; "e\u0301" and "\u00e9" too.
 */
public final class Usernames {
  private Usernames() {
  }

  public static String normalise(String username) {
    var key = Normalizer.normalize(username.strip(), Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    if (key.isEmpty()) {
      throw new IllegalArgumentException("username is empty");
    }
    return key;
  }
}
