package io.meshyauth.server.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import io.meshyauth.server.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HashSet;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyEncryptionKeyTest {
  private static final Optional<String> ACME = Optional.of("acme");

  @TempDir
  Path directory;

  private final KeyEncryptionKey key = KeyEncryptionKey.generate();
  private final String privateJwk = privateJwk("kid-1");

  @Test
  void privateJwkIsStoredAsAJweWithDirA256GcmNamingTheKeyAndTheRow() throws Exception {
    var stored = key.encrypt(privateJwk, "kid-1", ACME);

    var jwe = JWEObject.parse(stored);
    assertThat(jwe.getHeader().getAlgorithm()).isEqualTo(JWEAlgorithm.DIR);
    assertThat(jwe.getHeader().getEncryptionMethod()).isEqualTo(EncryptionMethod.A256GCM);
    assertThat(jwe.getHeader().getContentType()).isEqualTo("jwk+json");
    assertThat(jwe.getHeader().getKeyID()).isEqualTo(key.thumbprint());
    assertThat(jwe.getHeader().getCustomParams()).containsEntry("signing_key", "kid-1").containsEntry("account", "acme");
    assertThat(jwe.getIV().decode()).hasSize(12); // 96 bits
    assertThat(KeyEncryptionKey.isClear(stored)).isFalse();
    assertThat(stored).doesNotContain(privateJwk).doesNotContain(dOf(privateJwk));
  }

  @Test
  void encryptingTheSameKeyTwiceTakesAFreshNonceEachTime() throws Exception {
    var ivs = new HashSet<String>();
    var ciphertexts = new HashSet<String>();
    for (int i = 0; i < 100; i++) {
      var jwe = JWEObject.parse(key.encrypt(privateJwk, "kid-1", ACME));
      ivs.add(jwe.getIV().toString());
      ciphertexts.add(jwe.getCipherText().toString());
    }

    assertThat(ivs).hasSize(100);
    assertThat(ciphertexts).hasSize(100);
  }

  @Test
  void whatIsEncryptedForARowDecryptsForThatRow() {
    assertThat(key.decrypt(key.encrypt(privateJwk, "kid-1", ACME), "kid-1", ACME)).isEqualTo(privateJwk);
    assertThat(key.decrypt(key.encrypt(privateJwk, "kid-1", Optional.empty()), "kid-1", Optional.empty()))
        .isEqualTo(privateJwk);
  }

  @Test
  void ciphertextMovedToAnotherRowIsRefused() {
    var stored = key.encrypt(privateJwk, "kid-1", ACME);

    assertThatThrownBy(() -> key.decrypt(stored, "kid-2", ACME)).isInstanceOf(StoreException.class)
        .hasMessageContaining("another row");
    assertThatThrownBy(() -> key.decrypt(stored, "kid-1", Optional.of("other"))).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> key.decrypt(stored, "kid-1", Optional.empty())).isInstanceOf(StoreException.class);
    var global = key.encrypt(privateJwk, "kid-1", Optional.empty());
    assertThatThrownBy(() -> key.decrypt(global, "kid-1", ACME)).isInstanceOf(StoreException.class);
  }

  /** Rewriting the header to name the new row breaks GCM's tag: the header is the associated data. */
  @Test
  void ciphertextWhoseHeaderWasRewrittenForAnotherRowDoesNotDecrypt() {
    var stored = key.encrypt(privateJwk, "kid-1", ACME);
    var parts = stored.split("\\.");
    var header = new String(Base64URL.from(parts[0]).decode(), StandardCharsets.UTF_8);
    var forged = Base64URL.encode(header.replace("\"kid-1\"", "\"kid-2\"")) + stored.substring(parts[0].length());

    assertThatThrownBy(() -> key.decrypt(forged, "kid-2", ACME)).isInstanceOf(StoreException.class)
        .hasMessageContaining("altered");
  }

  @Test
  void alteredCiphertextDoesNotDecrypt() {
    var stored = key.encrypt(privateJwk, "kid-1", ACME);
    var parts = stored.split("\\.");
    var ciphertext = Base64URL.from(parts[3]).decode();
    ciphertext[0] ^= 1;
    parts[3] = Base64URL.encode(ciphertext).toString();

    assertThatThrownBy(() -> key.decrypt(String.join(".", parts), "kid-1", ACME))
        .isInstanceOf(StoreException.class).hasMessageContaining("altered");
  }

  @Test
  void anotherKeyCannotDecryptAndTheErrorNamesNeitherKey() {
    var stored = key.encrypt(privateJwk, "kid-1", ACME);
    var other = KeyEncryptionKey.generate();

    assertThatThrownBy(() -> other.decrypt(stored, "kid-1", ACME)).isInstanceOf(StoreException.class)
        .hasMessageContaining(key.thumbprint())
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secretOf(key)).doesNotContain(secretOf(other)));
  }

  @Test
  void keyFileIsCreatedReadableByItsOwnerOnlyAndReadBack() throws Exception {
    var file = directory.resolve("meshy-auth.key");

    var created = KeyEncryptionKeyFile.readOrCreate(file, Optional.empty());

    assertThat(Base64.getDecoder().decode(Files.readString(file).strip())).hasSize(32);
    if (Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
    var read = KeyEncryptionKeyFile.readOrCreate(file, Optional.of(created.thumbprint()));
    assertThat(read.thumbprint()).isEqualTo(created.thumbprint());
    assertThat(read.decrypt(created.encrypt(privateJwk, "kid-1", ACME), "kid-1", ACME)).isEqualTo(privateJwk);
    try (var files = Files.list(directory)) {
      assertThat(files).as("no temporary file is left behind").containsExactly(file);
    }
  }

  @Test
  void missingKeyFileIsNotRecreatedOnceTheStoreHasKeysEncryptedWithIt() {
    var file = directory.resolve("meshy-auth.key");

    assertThatThrownBy(() -> KeyEncryptionKeyFile.readOrCreate(file, Optional.of(key.thumbprint())))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("keys.encryption-key-file " + file.toAbsolutePath() + " does not exist")
        .hasMessageContaining("restore");
    assertThat(file).doesNotExist();
  }

  @Test
  void fileThatHoldsNoKeyIsRefusedWithoutQuotingIt() throws Exception {
    var file = directory.resolve("meshy-auth.key");
    for (var content : new String[] {"not-a-key-but-a-secret-$%", Base64.getEncoder().encodeToString(new byte[16])}) {
      Files.writeString(file, content);

      assertThatThrownBy(() -> KeyEncryptionKeyFile.readOrCreate(file, Optional.empty()))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("keys.encryption-key-file")
          .hasMessageContaining("does not hold a key-encryption key")
          .hasMessageNotContaining(content)
          .hasNoCause();
    }
  }

  @Test
  void theKeyIsNotInItsString() {
    assertThat(key.toString()).contains(key.thumbprint()).doesNotContain(secretOf(key));
  }

  static String secretOf(KeyEncryptionKey key) {
    return new String(key.encoded(), StandardCharsets.US_ASCII).strip();
  }

  private static String privateJwk(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(kid).generate().toJSONString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String dOf(String jwk) throws Exception {
    return ECKey.parse(jwk).getD().toString();
  }
}
