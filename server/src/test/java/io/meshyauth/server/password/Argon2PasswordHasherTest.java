package io.meshyauth.server.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.meshyauth.server.password.Argon2PasswordHasher.Argon2Parameters;
import io.meshyauth.server.testing.CapturedLog;
import io.meshyauth.server.values.Password;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class Argon2PasswordHasherTest {
  private static final Argon2Parameters SMALL = new Argon2Parameters(1024, 1, 1, 2);
  private static final int ARGON2I = org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_i;
  private static final int ARGON2D = org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_d;
  private static final int VERSION_10 = org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_VERSION_10;
  private static final Argon2Implementation BOUNCY_CASTLE = Argon2Implementation.bouncyCastle("test");
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

  /** Hashes written by password4j, which hashed passwords before Bouncy Castle did, keep verifying with either. */
  @Test
  void hashesFromTheEarlierLibraryStillVerify() {
    var nonAscii = "$argon2id$v=19$m=1024,t=1,p=1$qYOxUBhe2+LCB0i2OmyJEw$Ow86fEe0aWi9MUYdEZse/BKz2kZW5Ev3Ih3FPMGr1Dc";
    var twoLanes = "$argon2id$v=19$m=2048,t=2,p=2$hTisHpxlwz/ojGupRBEI8w$lcbQsvahQVzJk2Hc2Jw9pzZesh0sJ5OD3VZLez5Yquw";

    for (var each : List.of(hasher, new Argon2PasswordHasher(SMALL, BOUNCY_CASTLE))) {
      assertThat(verify(each, "pässwörd-✓", nonAscii)).as(each.description()).isTrue();
      assertThat(verify(each, "passwörd-✓", nonAscii)).as(each.description()).isFalse();
      assertThat(verify(each, "demo-password", twoLanes)).as(each.description()).isTrue();
    }
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

  /**
   * Bouncy Castle's slots keep their memory between hashes; many hashes at once on more threads than slots stay
   * correct.
   */
  @Test
  void concurrentHashesOnReusedMemoryAreCorrect() throws Exception {
    var bouncyCastle = new Argon2PasswordHasher(SMALL, BOUNCY_CASTLE);
    var expected = hash(bouncyCastle, "reused memory");
    var pool = Executors.newFixedThreadPool(8);
    try {
      var checks = new ArrayList<Callable<Boolean>>();
      for (int i = 0; i < 32; i++) {
        var password = i % 2 == 0 ? "reused memory" : "reused memorY";
        checks.add(() -> verify(bouncyCastle, password, expected));
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
   */
  @Test
  void aWrongPasswordAgainstAnImportedHashAlsoCostsTheConfiguredArgon2Check() {
    var v2 = "AAABAgMEBQYHCAkKCwwNDg+ukCEMDf0yyQ29NYubggHIVY0sdEUfdyeM+E1LtH1uJg==";
    var computed = new CopyOnWriteArrayList<String>();
    var recording = new Argon2Implementation("recording", memoryKib -> (password, like, secret, data) -> {
      computed.add(like.encode());
      return new BouncyCastleArgon2(memoryKib).hash(password, like, secret, data);
    });
    var oneSlot = new Argon2PasswordHasher(new Argon2Parameters(1024, 1, 1, 1), recording);

    assertThat(verify(oneSlot, "my password", v2)).isTrue();
    assertThat(computed).isEmpty();
    assertThat(verify(oneSlot, "my passworD", v2)).isFalse();
    assertThat(computed).singleElement().asString().startsWith("$argon2id$v=19$m=1024,t=1,p=1$");
  }

  /** RFC 9106 section 5.3, with its secret key and associated data, which the PHC strings never use. */
  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
  void bothImplementationsComputeTheRfc9106Argon2idTestVector() {
    var tag = "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659";

    assertThat(HexFormat.of().formatHex(Rfc9106.argon2id(new BouncyCastleArgon2(32)))).isEqualTo(tag);
    assertThat(HexFormat.of().formatHex(Rfc9106.argon2id(NativeArgon2.load()))).isEqualTo(tag);
  }

  /**
   * libargon2 and Bouncy Castle give the same bytes for random passwords (empty and non-ASCII ones too), every
   * Argon2 type and version a stored hash may have, several lanes, memory that is no multiple of the lanes'
   * segments and other tag lengths; and a hash that one hasher made verifies with the other.
   */
  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
  void bothImplementationsGiveTheSameBytes() {
    var nativeArgon2 = NativeArgon2.load();
    var random = new Random(9106);
    // the parameter sets share the salt, new for each password
    var salt = new byte[16];
    var parameterSets = List.of(new PhcHash(PhcHash.ARGON2ID, PhcHash.VERSION_13, 1024, 1, 1, salt, new byte[32]),
        new PhcHash(PhcHash.ARGON2ID, PhcHash.VERSION_13, 2048, 2, 2, salt, new byte[32]),
        new PhcHash(PhcHash.ARGON2ID, PhcHash.VERSION_13, 1030, 3, 3, salt, new byte[16]),
        new PhcHash(PhcHash.ARGON2ID, VERSION_10, 64, 1, 1, salt, new byte[64]),
        new PhcHash(ARGON2I, PhcHash.VERSION_13, 256, 2, 2, salt, new byte[32]),
        new PhcHash(ARGON2D, PhcHash.VERSION_13, 256, 2, 1, salt, new byte[32]));
    for (var like : parameterSets) {
      for (int i = 0; i < 8; i++) {
        random.nextBytes(salt);
        var password = (i == 0 ? "" : randomText(random)).getBytes(StandardCharsets.UTF_8);
        assertThat(nativeArgon2.hash(password, like))
            .as("%s with password %s", like.encode(), HexFormat.of().formatHex(password))
            .isEqualTo(new BouncyCastleArgon2(like.memoryKib()).hash(password, like));
      }
    }
    var twoLanes = new Argon2Parameters(2048, 2, 2, 1);
    var viaNative = new Argon2PasswordHasher(twoLanes, Argon2Implementation.choose(true, NativeArgon2::load));
    var viaBouncyCastle = new Argon2PasswordHasher(twoLanes, BOUNCY_CASTLE);
    for (int i = 0; i < 4; i++) {
      var password = randomText(random);
      assertThat(verify(viaBouncyCastle, password, hash(viaNative, password))).isTrue();
      assertThat(verify(viaNative, password, hash(viaBouncyCastle, password))).isTrue();
      assertThat(verify(viaNative, password + "x", hash(viaBouncyCastle, password))).isFalse();
    }
  }

  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
  void nativeIsChosenWhereAllowedAndAvailable() {
    assertThat(Argon2Implementation.choose(true).description()).startsWith("Argon2id: libargon2, native (");
    assertThat(Argon2Implementation.choose(true).forSlot(1024)).isInstanceOf(NativeArgon2.class);
    assertThat(hasher.description()).startsWith("Argon2id: libargon2, native (");
  }

  @Test
  void offChoosesBouncyCastle() {
    var off = Argon2Implementation.choose(false);

    assertThat(off.description()).isEqualTo("Argon2id: Bouncy Castle, pure Java (crypto.native=off)");
    assertThat(off.forSlot(1024)).isInstanceOf(BouncyCastleArgon2.class);
    assertThat(verify(new Argon2PasswordHasher(SMALL, off), "x", hash("x"))).isTrue();
  }

  /** A library that does not load, or computes something else, is one log line and Bouncy Castle; never a failure. */
  @Test
  void aNativeLibraryThatFailsFallsBackToBouncyCastleWithItsReason() {
    try (var log = CapturedLog.of(Level.INFO, Argon2Implementation.class.getName())) {
      var unloadable = Argon2Implementation.choose(true, () -> {
        throw new UnsatisfiedLinkError("Unable to load library 'argon2':\nlibargon2.so: cannot open shared object");
      });
      var wrong = Argon2Implementation.choose(true, () -> {
        throw new IllegalStateException("libargon2 (x) does not compute RFC 9106's Argon2id test vector");
      });
      var missing = Argon2Implementation.choose(true, () -> {
        throw new NoClassDefFoundError("com/sun/jna/Library");
      });

      var unloadableReason = "libargon2 unavailable: UnsatisfiedLinkError: Unable to load library 'argon2':";
      var wrongReason = "libargon2 unavailable: IllegalStateException: libargon2 (x) does not compute RFC 9106's "
          + "Argon2id test vector";
      var missingReason = "libargon2 unavailable: NoClassDefFoundError: com/sun/jna/Library";
      assertThat(unloadable.description()).isEqualTo("Argon2id: Bouncy Castle, pure Java (" + unloadableReason + ")");
      assertThat(wrong.description()).isEqualTo("Argon2id: Bouncy Castle, pure Java (" + wrongReason + ")");
      assertThat(missing.description()).isEqualTo("Argon2id: Bouncy Castle, pure Java (" + missingReason + ")");
      assertThat(log.events()).extracting(ILoggingEvent::getLevel, ILoggingEvent::getFormattedMessage).containsExactly(
          tuple(Level.WARN, "Argon2id hashes with Bouncy Castle (pure Java, slower): " + unloadableReason),
          tuple(Level.WARN, "Argon2id hashes with Bouncy Castle (pure Java, slower): " + wrongReason),
          tuple(Level.WARN, "Argon2id hashes with Bouncy Castle (pure Java, slower): " + missingReason));
      assertThat(unloadable.forSlot(1024)).isInstanceOf(BouncyCastleArgon2.class);
      assertThat(verify(new Argon2PasswordHasher(SMALL, unloadable), "x", hash("x"))).isTrue();
    }
  }

  /**
   * Sixteen threads verifying at once through libargon2 all get the right answer, and no more hashes run at once
   * than there are slots.
   */
  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
  void concurrentVerificationsThroughTheNativeLibraryAreCorrectAndBoundedBySlots() throws Exception {
    var nativeArgon2 = NativeArgon2.load();
    var running = new AtomicInteger();
    var mostAtOnce = new AtomicInteger();
    var counting = new Argon2Implementation("counting", memoryKib -> (password, like, secret, data) -> {
      mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        return nativeArgon2.hash(password, like, secret, data);
      } finally {
        running.decrementAndGet();
      }
    });
    var threeSlots = new Argon2PasswordHasher(new Argon2Parameters(2048, 2, 1, 3), counting);
    var expected = hash(threeSlots, "in flight ✓");
    var pool = Executors.newFixedThreadPool(16);
    try {
      var checks = new ArrayList<Callable<Boolean>>();
      for (int i = 0; i < 160; i++) {
        var password = i % 2 == 0 ? "in flight ✓" : "in flight ✗";
        checks.add(() -> verify(threeSlots, password, expected));
      }
      var results = pool.invokeAll(checks);
      for (int i = 0; i < results.size(); i++) {
        assertThat(results.get(i).get()).as("check %d", i).isEqualTo(i % 2 == 0);
      }
    } finally {
      pool.shutdownNow();
    }
    // more than one at once (the test means something), never more than the slots
    assertThat(mostAtOnce.get()).isBetween(2, 3);
  }

  private static String randomText(Random random) {
    int[] alphabet = "abcXYZ019 !$äöüßéø✓漢字🔑".codePoints().toArray();
    var text = new StringBuilder();
    for (int i = 1 + random.nextInt(40); i > 0; i--) {
      text.appendCodePoint(alphabet[random.nextInt(alphabet.length)]);
    }
    return text.toString();
  }

  private static String hash(Argon2PasswordHasher hasher, String password) {
    try (var secret = Password.of(password)) {
      return hasher.hash(secret);
    }
  }

  private static boolean verify(Argon2PasswordHasher hasher, String password, String hash) {
    try (var secret = Password.of(password)) {
      return hasher.verify(secret, hash);
    }
  }

  private String hash(String password) {
    return hash(hasher, password);
  }

  private boolean verify(String password, String hash) {
    return verify(hasher, password, hash);
  }
}
