package io.meshyauth.server.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshyauth.server.values.Password;
import io.meshyauth.server.password.Argon2PasswordHasher.Argon2Parameters;
import java.util.ArrayList;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class Argon2PasswordHasherTest {
  private static final Argon2Parameters SMALL = new Argon2Parameters(1024, 1, 1, 2);
  private final Argon2PasswordHasher hasher = new Argon2PasswordHasher(SMALL);

  @Test
  void aHashVerifiesItsPasswordAndNoOther() {
    var hash = hash("correct horse battery staple");

    assertThat(hash).startsWith("$argon2id$v=19$m=1024,t=1,p=1$");
    assertThat(verify("correct horse battery staple", hash)).isTrue();
    assertThat(verify("correct horse battery stapl", hash)).isFalse();
    assertThat(verify("", hash)).isFalse();
  }

  @Test
  void theSamePasswordHashesDifferentlyEachTime() {
    assertThat(hash("same")).isNotEqualTo(hash("same"));
  }

  /** Hashes written by password4j, which hashed passwords before Bouncy Castle did, keep verifying. */
  @Test
  void hashesFromTheEarlierLibraryStillVerify() {
    var nonAscii = "$argon2id$v=19$m=1024,t=1,p=1$qYOxUBhe2+LCB0i2OmyJEw$Ow86fEe0aWi9MUYdEZse/BKz2kZW5Ev3Ih3FPMGr1Dc";
    var twoLanes = "$argon2id$v=19$m=2048,t=2,p=2$hTisHpxlwz/ojGupRBEI8w$lcbQsvahQVzJk2Hc2Jw9pzZesh0sJ5OD3VZLez5Yquw";

    assertThat(verify("pässwörd-✓", nonAscii)).isTrue();
    assertThat(verify("passwörd-✓", nonAscii)).isFalse();
    assertThat(verify("demo-password", twoLanes)).isTrue();
  }

  @Test
  void onlyHashesWithOtherParametersNeedARehash() {
    assertThat(hasher.needsRehash(hash("x"))).isFalse();
    assertThat(new Argon2PasswordHasher(new Argon2Parameters(2048, 1, 1)).needsRehash(hash("x"))).isTrue();
    assertThat(hasher.needsRehash(hash("x").replace("$argon2id$", "$argon2i$"))).isTrue();
    assertThat(hasher.needsRehash("$2a$10$notargon")).isTrue();
  }

  @Test
  void aStoredHashThatIsNotArgon2FailsWithoutQuotingIt() {
    try (var password = Password.of("x")) {
      assertThatThrownBy(() -> hasher.verify(password, "$argon2id$v=19$m=1024,t=1,p=1$secretsalt$!!"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageNotContaining("secretsalt");
    }
  }

  @Test
  void anUnknownUserCostsAHashAndMatchesNothing() {
    try (var password = Password.of("")) {
      hasher.verifyAgainstDummy(password);
    }
    // the dummy hash has the configured parameters: no password makes it verify, and it is not a rehash case
    assertThat(hasher).extracting("dummyHash").asString()
        .startsWith("$argon2id$v=19$m=1024,t=1,p=1$")
        .satisfies(dummy -> assertThat(hasher.needsRehash(dummy)).isFalse())
        .satisfies(dummy -> assertThat(verify("", dummy)).isFalse());
  }

  /** The slots keep their memory between hashes; many hashes at once on more threads than slots stay correct. */
  @Test
  void concurrentHashesOnReusedMemoryAreCorrect() throws Exception {
    var expected = hash("reused memory");
    var pool = Executors.newFixedThreadPool(8);
    try {
      var checks = new ArrayList<Callable<Boolean>>();
      for (int i = 0; i < 32; i++) {
        var password = i % 2 == 0 ? "reused memory" : "reused memorY";
        checks.add(() -> verify(password, expected));
      }
      var results = pool.invokeAll(checks);
      for (int i = 0; i < results.size(); i++) {
        assertThat(results.get(i).get()).as("check %d", i).isEqualTo(i % 2 == 0);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void importedHashesVerifyAsTheyAreAndAskToBeReplaced() {
    var v3 = "AQAAAAIAAAAyAAAAEOMwvh3+FZxqkdMBz2ekgGhwQ4B6pZWND6zgESBuWiHw";
    var bcrypt = "$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";

    assertThat(verify("my password", v3)).isTrue();
    assertThat(verify("my passworD", v3)).isFalse();
    assertThat(verify("U*U", bcrypt)).isTrue();
    assertThat(verify("U*U*", bcrypt)).isFalse();
    assertThat(hasher.needsRehash(v3)).isTrue();
    assertThat(hasher.needsRehash(bcrypt)).isTrue();
  }

  /**
   * A wrong password against an imported hash costs an Argon2 check at the configured parameters too, as it does
   * for an unknown user (whose dummy check is all there is): the two differ by the imported format's check alone.
   * The slot's kept blocks show whether Argon2 ran in it.
   */
  @Test
  void aWrongPasswordAgainstAnImportedHashAlsoCostsTheConfiguredArgon2Check() throws Exception {
    var v2 = "AAABAgMEBQYHCAkKCwwNDg+ukCEMDf0yyQ29NYubggHIVY0sdEUfdyeM+E1LtH1uJg==";
    var oneSlot = new Argon2PasswordHasher(new Argon2Parameters(1024, 1, 1, 1));

    try (var right = Password.of("my password")) {
      assertThat(oneSlot.verify(right, v2)).isTrue();
    }
    assertThat(blocksKeptBy(oneSlot)).isZero();
    try (var wrong = Password.of("my passworD")) {
      assertThat(oneSlot.verify(wrong, v2)).isFalse();
    }
    assertThat(blocksKeptBy(oneSlot)).isEqualTo(1024);
  }

  private static int blocksKeptBy(Argon2PasswordHasher oneSlot) throws ReflectiveOperationException {
    var slots = Argon2PasswordHasher.class.getDeclaredField("slots");
    slots.setAccessible(true);
    var slot = ((Queue<?>) slots.get(oneSlot)).peek();
    var count = slot.getClass().getDeclaredField("count");
    count.setAccessible(true);
    return count.getInt(slot);
  }

  private String hash(String password) {
    try (var secret = Password.of(password)) {
      return hasher.hash(secret);
    }
  }

  private boolean verify(String password, String hash) {
    try (var secret = Password.of(password)) {
      return hasher.verify(secret, hash);
    }
  }
}
