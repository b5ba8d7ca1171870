package io.meshyauth.server.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.meshyauth.server.password.Argon2Implementation.Library;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

  /**
   * RFC 9106 section 5.3, with its secret key and associated data, which the PHC strings never use (nor libsodium
   * takes).
   */
  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
  void libargon2AndBouncyCastleComputeTheRfc9106Argon2idTestVector() {
    var tag = "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659";

    assertThat(HexFormat.of().formatHex(Rfc9106.argon2id(new BouncyCastleArgon2(32)))).isEqualTo(tag);
    assertThat(HexFormat.of().formatHex(Rfc9106.argon2id(NativeArgon2.load()))).isEqualTo(tag);
  }

  /** libsodium's published Argon2id string (test/default/pwhash_argon2id.c, tv3) verifies with either path. */
  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
  void libsodiumsPublishedArgon2idStringVerifiesWithLibsodiumAndBouncyCastle() {
    var published = "$argon2id$v=19$m=4882,t=2,p=1$bA81arsiXysd3WbTRzmEOw$Nm8QBM+7RH1DXo9rvp5cwKEOOOfD2g6JuxlXihoNcpE";
    var viaSodium = new Argon2PasswordHasher(SMALL, Argon2Implementation.choose(true, SodiumArgon2::load, () -> {
      throw new UnsatisfiedLinkError("not in this test");
    }));

    for (var each : List.of(viaSodium, new Argon2PasswordHasher(SMALL, BOUNCY_CASTLE))) {
      assertThat(verify(each, "", published)).as(each.description()).isTrue();
      assertThat(verify(each, " ", published)).as(each.description()).isFalse();
    }
  }

  /**
   * libsodium and Bouncy Castle give the same bytes for random passwords (empty, non-ASCII and long ones), several
   * passes, memory that is no multiple of the segments and other tag lengths; libsodium computes each itself.
   */
  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
  void libsodiumGivesBouncyCastlesBytes() {
    var sodium = SodiumArgon2.load().before((password, like, secret, data) -> {
      throw new AssertionError("libsodium passed on " + like.encode());
    });
    var random = new Random(1_0_20);
    var salt = new byte[16];
    var parameterSets = List.of(new PhcHash(PhcHash.ARGON2ID, PhcHash.VERSION_13, 8, 1, 1, salt, new byte[32]),
        new PhcHash(PhcHash.ARGON2ID, PhcHash.VERSION_13, 1024, 1, 1, salt, new byte[32]),
        new PhcHash(PhcHash.ARGON2ID, PhcHash.VERSION_13, 1030, 3, 1, salt, new byte[16]),
        new PhcHash(PhcHash.ARGON2ID, PhcHash.VERSION_13, 2048, 2, 1, salt, new byte[64]),
        new PhcHash(PhcHash.ARGON2ID, PhcHash.VERSION_13, 256, 5, 1, salt, new byte[100]));
    for (var like : parameterSets) {
      for (int i = 0; i < 8; i++) {
        random.nextBytes(salt);
        var text = switch (i) {
          case 0 -> "";
          case 1 -> randomText(random).repeat(400);
          default -> randomText(random);
        };
        var password = text.getBytes(StandardCharsets.UTF_8);
        assertThat(sodium.hash(password, like))
            .as("%s with password %s", like.encode(), HexFormat.of().formatHex(password))
            .isEqualTo(new BouncyCastleArgon2(like.memoryKib()).hash(password, like));
      }
    }
  }

  /**
   * Hashes libsodium does not take (several lanes, Argon2i or Argon2d, version 0x10, a salt of other than 16
   * bytes, a tag under 16 bytes, a secret key or associated data) go to the next implementation, which gives
   * Bouncy Castle's bytes: libargon2 where it loads, Bouncy Castle itself otherwise.
   */
  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
  void hashesLibsodiumDoesNotTakeGoToTheNextImplementation() {
    var passedOn = new ArrayList<String>();
    var sodium = SodiumArgon2.load().before((password, like, secret, data) -> {
      passedOn.add(like.encode());
      return new BouncyCastleArgon2(like.memoryKib()).hash(password, like, secret, data);
    });
    var withLibargon2 = Argon2Implementation.choose(true, SodiumArgon2::load, NativeArgon2::load).forSlot(2048);
    var withBouncyCastle = Argon2Implementation.choose(true, SodiumArgon2::load, () -> {
      throw new UnsatisfiedLinkError("not in this test");
    }).forSlot(2048);
    var random = new Random(9106);
    var others = List.of(new PhcHash(PhcHash.ARGON2ID, PhcHash.VERSION_13, 2048, 2, 2, salt(random, 16), new byte[32]),
        new PhcHash(ARGON2I, PhcHash.VERSION_13, 1024, 3, 1, salt(random, 16), new byte[32]),
        new PhcHash(ARGON2D, PhcHash.VERSION_13, 1024, 1, 1, salt(random, 16), new byte[32]),
        new PhcHash(PhcHash.ARGON2ID, VERSION_10, 1024, 1, 1, salt(random, 16), new byte[32]),
        new PhcHash(PhcHash.ARGON2ID, PhcHash.VERSION_13, 1024, 1, 1, salt(random, 8), new byte[32]),
        new PhcHash(PhcHash.ARGON2ID, PhcHash.VERSION_13, 1024, 1, 1, salt(random, 32), new byte[32]),
        new PhcHash(PhcHash.ARGON2ID, PhcHash.VERSION_13, 1024, 1, 1, salt(random, 16), new byte[12]));
    for (var like : others) {
      var password = randomText(random).getBytes(StandardCharsets.UTF_8);
      var expected = new BouncyCastleArgon2(like.memoryKib()).hash(password, like);

      assertThat(sodium.hash(password, like)).as(like.encode()).isEqualTo(expected);
      assertThat(withLibargon2.hash(password, like)).as(like.encode()).isEqualTo(expected);
      assertThat(withBouncyCastle.hash(password, like)).as(like.encode()).isEqualTo(expected);
    }
    // parameters libsodium takes, with a secret key and associated data it does not
    var keyed = new PhcHash(PhcHash.ARGON2ID, PhcHash.VERSION_13, 1024, 1, 1, salt(random, 16), new byte[32]);
    var password = randomText(random).getBytes(StandardCharsets.UTF_8);
    var key = salt(random, 8);
    var data = salt(random, 12);
    var expected = new BouncyCastleArgon2(1024).hash(password, keyed, key, data);
    for (var each : List.of(sodium, withLibargon2, withBouncyCastle)) {
      assertThat(each.hash(password, keyed, key, data)).isEqualTo(expected);
    }
    assertThat(passedOn).containsExactlyElementsOf(
        Stream.concat(others.stream(), Stream.of(keyed)).map(PhcHash::encode).toList());
  }

  /**
   * libargon2 and Bouncy Castle give the same bytes for random passwords (empty and non-ASCII ones too), every
   * Argon2 type and version a stored hash may have, several lanes, memory that is no multiple of the lanes'
   * segments and other tag lengths; and a hash that one hasher made verifies with the other.
   */
  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
  void libargon2AndBouncyCastleGiveTheSameBytes() {
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
    var viaNative = new Argon2PasswordHasher(twoLanes, Argon2Implementation.choose(true));
    var viaBouncyCastle = new Argon2PasswordHasher(twoLanes, BOUNCY_CASTLE);
    for (int i = 0; i < 4; i++) {
      var password = randomText(random);
      assertThat(verify(viaBouncyCastle, password, hash(viaNative, password))).isTrue();
      assertThat(verify(viaNative, password, hash(viaBouncyCastle, password))).isTrue();
      assertThat(verify(viaNative, password + "x", hash(viaBouncyCastle, password))).isFalse();
    }
  }

  /**
   * Linux on x86-64 is where these tests run, and where both native libraries are bundled. The choice is checked,
   * not the description's instruction set, which is whatever libsodium picked on this CPU (AVX-512F, AVX2, SSSE3).
   */
  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
  void libsodiumIsChosenWhereAllowedAndLibargon2ForOtherParameters() {
    var chosen = Argon2Implementation.choose(true);

    assertThat(chosen.choice()).isEqualTo(new Argon2Implementation.Choice(Library.LIBSODIUM, Library.LIBARGON2));
    // the start-up line names the instruction set for the operator, whichever this CPU has
    assertThat(chosen.description()).matches("Argon2id: libsodium 1\\.0\\.20, native \\(the copy bundled in "
        + "lazysodium-java(, (AVX-512F|AVX2|SSSE3))?\\); other Argon2 parameters: libargon2, native \\(.*");
    assertThat(hasher.description()).isEqualTo(chosen.description());
  }

  @Test
  void eachFallbackNamesTheLibraryThatComputesInItsChoice() {
    assertThat(Argon2Implementation.choose(false).choice())
        .isEqualTo(new Argon2Implementation.Choice(Library.BOUNCY_CASTLE, Library.BOUNCY_CASTLE));
    var neither = Argon2Implementation.choose(true, () -> {
      throw new UnsupportedOperationException("no libsodium");
    }, () -> {
      throw new UnsatisfiedLinkError("no libargon2");
    });
    assertThat(neither.choice()).isEqualTo(new Argon2Implementation.Choice(Library.BOUNCY_CASTLE, Library.BOUNCY_CASTLE));
  }

  @Test
  void offChoosesBouncyCastle() {
    var off = Argon2Implementation.choose(false);

    assertThat(off.description()).isEqualTo("Argon2id: Bouncy Castle, pure Java (crypto.native=off)");
    assertThat(off.forSlot(1024)).isInstanceOf(BouncyCastleArgon2.class);
    assertThat(verify(new Argon2PasswordHasher(SMALL, off), "x", hash("x"))).isTrue();
  }

  /**
   * Native libraries that do not load, or compute something else, are one log line and Bouncy Castle in their
   * place; never a failure.
   */
  @Test
  void nativeLibrariesThatFailFallBackToBouncyCastleWithTheirReasons() {
    try (var log = CapturedLog.of(Level.INFO, Argon2Implementation.class.getName())) {
      var unloadable = Argon2Implementation.choose(true, () -> {
        throw new UnsatisfiedLinkError("Unable to load library '/linux64/libsodium.so':\nNative library not found");
      }, () -> {
        throw new UnsatisfiedLinkError("Unable to load library 'argon2':\nlibargon2.so: cannot open shared object");
      });
      var wrong = Argon2Implementation.choose(true, () -> {
        throw new IllegalStateException("libsodium (x) does not compute its own Argon2id test vector");
      }, () -> {
        throw new NoClassDefFoundError("com/sun/jna/Library");
      });

      var unloadableReasons = "libsodium unavailable: UnsatisfiedLinkError: Unable to load library "
          + "'/linux64/libsodium.so':; libargon2 unavailable: UnsatisfiedLinkError: Unable to load library 'argon2':";
      var wrongReasons = "libsodium unavailable: IllegalStateException: libsodium (x) does not compute its own "
          + "Argon2id test vector; libargon2 unavailable: NoClassDefFoundError: com/sun/jna/Library";
      assertThat(unloadable.description()).isEqualTo("Argon2id: Bouncy Castle, pure Java (" + unloadableReasons + ")");
      assertThat(wrong.description()).isEqualTo("Argon2id: Bouncy Castle, pure Java (" + wrongReasons + ")");
      assertThat(log.events()).extracting(ILoggingEvent::getLevel, ILoggingEvent::getFormattedMessage).containsExactly(
          tuple(Level.WARN, "Argon2id hashes with Bouncy Castle, pure Java (slower than libsodium): "
              + unloadableReasons),
          tuple(Level.WARN, "Argon2id hashes with Bouncy Castle, pure Java (slower than libsodium): " + wrongReasons));
      assertThat(unloadable.forSlot(1024)).isInstanceOf(BouncyCastleArgon2.class);
      assertThat(verify(new Argon2PasswordHasher(SMALL, unloadable), "x", hash("x"))).isTrue();
    }
  }

  /** Where one native library does not load, the other computes what it can and Bouncy Castle the rest. */
  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
  void whereOneNativeLibraryFailsTheOtherStaysInUse() {
    try (var log = CapturedLog.of(Level.INFO, Argon2Implementation.class.getName())) {
      var withoutSodium = Argon2Implementation.choose(true, () -> {
        throw new UnsupportedOperationException("libsodium is used on 64-bit platforms only");
      }, NativeArgon2::load);
      var withoutLibargon2 = Argon2Implementation.choose(true, SodiumArgon2::load, () -> {
        throw new UnsatisfiedLinkError("Unable to load library 'argon2':\nlibargon2.so: cannot open shared object");
      });

      var noSodium = "libsodium unavailable: UnsupportedOperationException: libsodium is used on 64-bit platforms only";
      var noLibargon2 = "libargon2 unavailable: UnsatisfiedLinkError: Unable to load library 'argon2':";
      assertThat(withoutSodium.description()).startsWith("Argon2id: libargon2, native (").endsWith(" (" + noSodium + ")");
      assertThat(withoutSodium.choice()).isEqualTo(new Argon2Implementation.Choice(Library.LIBARGON2, Library.LIBARGON2));
      assertThat(withoutLibargon2.choice())
          .isEqualTo(new Argon2Implementation.Choice(Library.LIBSODIUM, Library.BOUNCY_CASTLE));
      assertThat(withoutLibargon2.description()).startsWith("Argon2id: libsodium 1.0.20, native (")
          .endsWith("; other Argon2 parameters: Bouncy Castle, pure Java (" + noLibargon2 + ")");
      assertThat(log.events()).extracting(ILoggingEvent::getLevel, ILoggingEvent::getFormattedMessage).containsExactly(
          tuple(Level.WARN, "Argon2id hashes with " + NativeArgon2.load().description() + " (slower than libsodium): "
              + noSodium),
          tuple(Level.WARN, "Argon2 hashes that libsodium does not take use Bouncy Castle, pure Java (slower): "
              + noLibargon2));
      assertThat(withoutSodium.forSlot(1024)).isInstanceOf(NativeArgon2.class);
      var twoLanes = new Argon2Parameters(1024, 1, 2, 1);
      for (var each : List.of(withoutSodium, withoutLibargon2)) {
        assertThat(verify(new Argon2PasswordHasher(SMALL, each), "x", hash("x"))).as(each.description()).isTrue();
        var other = hash(new Argon2PasswordHasher(twoLanes, BOUNCY_CASTLE), "y");
        assertThat(verify(new Argon2PasswordHasher(twoLanes, each), "y", other)).as(each.description()).isTrue();
      }
    }
  }

  /**
   * Sixteen threads verifying at once through a native library (libsodium, as chosen, or libargon2) all get the
   * right answer, and no more hashes run at once than there are slots.
   */
  @ParameterizedTest
  @ValueSource(strings = {"chosen", "libargon2"})
  @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
  void concurrentVerificationsThroughANativeLibraryAreCorrectAndBoundedBySlots(String library) throws Exception {
    var implementation = library.equals("chosen") ? Argon2Implementation.choose(true)
        : Argon2Implementation.libargon2();
    var running = new AtomicInteger();
    var mostAtOnce = new AtomicInteger();
    var counting = new Argon2Implementation("counting", memoryKib -> {
      var slot = implementation.forSlot(memoryKib);
      return (password, like, secret, data) -> {
        mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
        try {
          return slot.hash(password, like, secret, data);
        } finally {
          running.decrementAndGet();
        }
      };
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

  private static byte[] salt(Random random, int length) {
    var salt = new byte[length];
    random.nextBytes(salt);
    return salt;
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
