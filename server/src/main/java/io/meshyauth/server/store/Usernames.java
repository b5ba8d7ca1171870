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
    // NFC again after lower-casing: lower case can leave marks out of canonical order ("\u0130\u0339" becomes
    // "i\u0307\u0339"), and a key that is not NFC would not match the same name typed in lower case
    var key = Normalizer.normalize(
        Normalizer.normalize(username.strip(), Normalizer.Form.NFC).toLowerCase(Locale.ROOT), Normalizer.Form.NFC);
    if (key.isEmpty()) {
      throw new IllegalArgumentException("username is empty");
    }
    return key;
  }
}
