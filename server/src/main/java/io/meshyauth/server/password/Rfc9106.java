package io.meshyauth.server.password;

import java.util.Arrays;
import java.util.HexFormat;

/** RFC 9106 section 5.3: the Argon2id test vector, which a native library must compute before it is used. */
final class Rfc9106 {
  static final byte[] ARGON2ID_TAG =
      HexFormat.of().parseHex("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");

  private Rfc9106() {
  }

  /** The vector's inputs (t=3, m=32 KiB, p=4, a 32-byte password, salt, secret and associated data) through f. */
  static byte[] argon2id(Argon2Function f) {
    var like = new PhcHash(PhcHash.ARGON2ID, PhcHash.VERSION_13, 32, 3, 4, filled(16, 0x02), new byte[32]);
    return f.hash(filled(32, 0x01), like, filled(8, 0x03), filled(12, 0x04));
  }

  private static byte[] filled(int length, int value) {
    var bytes = new byte[length];
    Arrays.fill(bytes, (byte) value);
    return bytes;
  }
}
