package io.meshyauth.server.store.jdbc;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import io.meshyauth.server.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 key the private signing keys are encrypted with before they reach the database. A private JWK is
 * stored as a JWE (RFC 7517 section 7): {@code dir} with A256GCM, a fresh random 96-bit IV each time (Nimbus),
 * content type {@code jwk+json}. Its protected header, which is the associated data of GCM (RFC 7516 section
 * 5.1 step 14), names this key by its JWK thumbprint (RFC 7638) and the row the ciphertext belongs to: the
 * signing key's kid and account. Decryption refuses a ciphertext whose header names another row, and altering
 * the header breaks the tag, so a ciphertext moved to another row does not decrypt.
 */
final class KeyEncryptionKey {
  static final int BYTES = 32;
  /** Private header parameters (RFC 7516 section 4.3): the row a ciphertext belongs to. */
  static final String SIGNING_KEY_PARAM = "signing_key";
  static final String ACCOUNT_PARAM = "account";
  static final String CONTENT_TYPE = "jwk+json";

  private final SecretKey key;
  private final String thumbprint;

  private KeyEncryptionKey(byte[] bytes) {
    if (bytes.length != BYTES) {
      throw new IllegalArgumentException("a key-encryption key has " + BYTES + " bytes");
    }
    this.key = new SecretKeySpec(bytes, "AES");
    try {
      this.thumbprint = new OctetSequenceKey.Builder(bytes).build().computeThumbprint().toString();
    } catch (JOSEException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }

  /** The key from its bytes, which the caller may wipe afterwards. */
  static KeyEncryptionKey of(byte[] bytes) {
    return new KeyEncryptionKey(bytes);
  }

  /**
   * A 32-byte key for {@code purpose}, derived from this one (HMAC-SHA256 keyed by it over the purpose, HKDF's
   * expand step with one block, RFC 5869 section 2.3): every node holding this key derives the same, and no
   * derived key reveals this one or another purpose's.
   */
  byte[] derive(String purpose) {
    try {
      var mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
      mac.update(("meshy-auth " + purpose).getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 1);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
    }
  }

  static KeyEncryptionKey generate() {
    var bytes = new byte[BYTES];
    new SecureRandom().nextBytes(bytes);
    try {
      return new KeyEncryptionKey(bytes);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /** What the key file holds: the key in base64, one line. */
  byte[] encoded() {
    var text = Base64.getEncoder().encode(key.getEncoded());
    var line = Arrays.copyOf(text, text.length + 1);
    line[text.length] = '\n';
    Arrays.fill(text, (byte) 0);
    return line;
  }

  /** The RFC 7638 thumbprint: names the key in the store and in every ciphertext, and reveals nothing of it. */
  String thumbprint() {
    return thumbprint;
  }

  /** A clear private JWK as stored before keys were encrypted. */
  static boolean isClear(String stored) {
    return stored.startsWith("{");
  }

  String encrypt(String privateJwk, String kid, Optional<String> accountName) {
    var header = new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM)
        .contentType(CONTENT_TYPE)
        .keyID(thumbprint)
        .customParam(SIGNING_KEY_PARAM, kid);
    accountName.ifPresent(name -> header.customParam(ACCOUNT_PARAM, name));
    var jwe = new JWEObject(header.build(), new Payload(privateJwk));
    try {
      jwe.encrypt(new DirectEncrypter(key));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot encrypt signing key " + kid, e);
    }
    return jwe.serialize();
  }

  /**
   * The private JWK of the row ({@code kid}, {@code accountName}) that {@code stored} was read from; a
   * {@link StoreException} if it was encrypted for another row or with another key, or was altered.
   */
  String decrypt(String stored, String kid, Optional<String> accountName) {
    JWEObject jwe;
    try {
      jwe = JWEObject.parse(stored);
    } catch (ParseException e) {
      throw new StoreException("stored signing key " + kid + " is neither a JWK nor an encrypted JWK");
    }
    var header = jwe.getHeader();
    if (!thumbprint.equals(header.getKeyID())) {
      throw new StoreException("stored signing key " + kid + " was encrypted with key-encryption key "
          + header.getKeyID() + ", not with " + thumbprint);
    }
    if (!kid.equals(header.getCustomParam(SIGNING_KEY_PARAM))
        || !Objects.equals(accountName.orElse(null), header.getCustomParam(ACCOUNT_PARAM))) {
      throw new StoreException("stored signing key " + kid + " holds the ciphertext of another row");
    }
    try {
      jwe.decrypt(new DirectDecrypter(key));
    } catch (JOSEException e) {
      // GCM's tag did not match: the ciphertext or its header was altered
      throw new StoreException("stored signing key " + kid + " does not decrypt: it was altered");
    }
    return jwe.getPayload().toString();
  }

  /**
   * Any other secret of a row, encrypted as the private keys are ({@code dir} with A256GCM, a fresh random IV): the
   * protected header names this key, the content type and the row, by {@code row}'s private header parameters,
   * so that a ciphertext moved to another row, or altered, does not decrypt.
   */
  String encrypt(byte[] plaintext, String contentType, Map<String, String> row) {
    var header = new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM)
        .contentType(contentType)
        .keyID(thumbprint);
    row.forEach(header::customParam);
    var jwe = new JWEObject(header.build(), new Payload(plaintext));
    try {
      jwe.encrypt(new DirectEncrypter(key));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot encrypt " + contentType + " of " + row, e);
    }
    return jwe.serialize();
  }

  /**
   * The plaintext {@link #encrypt(byte[], String, Map)} made for the row {@code row} names; a {@link StoreException}
   * naming {@code what} if it was encrypted for another row, of another content type or with another key, or was
   * altered.
   */
  byte[] decrypt(String stored, String contentType, Map<String, String> row, String what) {
    JWEObject jwe;
    try {
      jwe = JWEObject.parse(stored);
    } catch (ParseException e) {
      throw new StoreException(what + " is not encrypted as the store encrypts");
    }
    var header = jwe.getHeader();
    if (!thumbprint.equals(header.getKeyID())) {
      throw new StoreException(what + " was encrypted with key-encryption key " + header.getKeyID() + ", not with "
          + thumbprint);
    }
    boolean ours = row.entrySet().stream()
        .allMatch(param -> param.getValue().equals(header.getCustomParam(param.getKey())));
    if (!contentType.equals(header.getContentType()) || !ours) {
      throw new StoreException(what + " holds the ciphertext of another row");
    }
    try {
      jwe.decrypt(new DirectDecrypter(key));
    } catch (JOSEException e) {
      throw new StoreException(what + " does not decrypt: it was altered");
    }
    return jwe.getPayload().toBytes();
  }

  @Override
  public String toString() {
    return "KeyEncryptionKey[" + thumbprint + "]";
  }
}
