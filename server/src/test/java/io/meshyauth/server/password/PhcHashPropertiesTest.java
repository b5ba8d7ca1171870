package io.meshyauth.server.password;

import static io.meshyauth.server.properties.Cases.bytes;
import static io.meshyauth.server.properties.Cases.forAll;
import static io.meshyauth.server.properties.Cases.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The PHC strings of stored password hashes: whatever a row holds, parsing answers and never throws. */
class PhcHashPropertiesTest {
  private static final String PHC_CHARACTERS = "$argon2idv=19m,tp0123456789ABCDEFabcdef+/=-";

  @Test
  void everyValidHashSurvivesEncodingAndParsing() {
    forAll(PhcHashPropertiesTest::hash, hash -> {
      var parsed = PhcHash.tryParse(hash.encode());

      assertThat(parsed).isPresent();
      assertThat(parsed.get()).usingRecursiveComparison().isEqualTo(hash);
      assertThat(parsed.get().encode()).isEqualTo(hash.encode());
    });
  }

  /** A damaged row is "not a hash", never an exception escaping to the login that read it. */
  @Test
  void anyStringParsesOrIsRefusedWithoutThrowing() {
    forAll(random -> random.nextBoolean() ? text(random, 120) : text(random, PHC_CHARACTERS, 0, 120),
        PhcHash::tryParse);
  }

  @Test
  void aValidHashWithAnyCharacterChangedParsesOrIsRefusedWithoutThrowing() {
    forAll(random -> {
      var encoded = new StringBuilder(hash(random).encode());
      encoded.setCharAt(random.nextInt(encoded.length()), random.nextBoolean()
          ? PHC_CHARACTERS.charAt(random.nextInt(PHC_CHARACTERS.length())) : (char) random.nextInt(0x10000));
      return encoded.toString();
    }, PhcHash::tryParse);
  }

  @Test
  void anUnknownAlgorithmIsRefused() {
    forAll(random -> hash(random).encode().replaceFirst("argon2", "argon2" + text(random, "XYZQ2", 1, 3)),
        changed -> assertThat(PhcHash.tryParse(changed)).isEmpty());
  }

  private static PhcHash hash(Random random) {
    var parallelism = 1 + random.nextInt(255);
    var memory = 8 * parallelism + random.nextInt(999_999_999 - 8 * parallelism + 1);
    int[] types = {PhcHash.ARGON2ID, 0, 1};
    return new PhcHash(types[random.nextInt(3)], random.nextBoolean() ? 0x10 : PhcHash.VERSION_13, memory,
        1 + random.nextInt(999_999_999), parallelism, bytes(random, 8, 64), bytes(random, 4, 64));
  }
}
