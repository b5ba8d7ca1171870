package io.meshyauth.server.password;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshyauth.server.password.ImportedHash.CostLimits;
import io.meshyauth.server.values.Password;
import java.nio.ByteBuffer;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Known answers for each imported format, and what is not one of them. */
class ImportedHashTest {
  /**
   * ASP.NET Core's own known answers for its PasswordHasher: dotnet/aspnetcore,
   * src/Identity/test/Identity.Test/PasswordHasherTest.cs, all of the password "my password". The salts were
   * 0x00, 0x01, ... from a sequential random number generator.
   */
  private static final String ASPNET_PASSWORD = "my password";

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "V2 HMAC-SHA1 1000 iterations, ASP.NET Core Identity V2, AAABAgMEBQYHCAkKCwwNDg+ukCEMDf0yyQ29NYubggHIVY0sdEUfdyeM+E1LtH1uJg==",
      "V3 HMAC-SHA1 250 iterations, ASP.NET Core Identity V3, AQAAAAAAAAD6AAAAEAhftMyfTJylOlZT+eEotFXd1elee8ih5WsjXaR3PA9M",
      "V3 HMAC-SHA256 250000 iterations 256-bit salt, ASP.NET Core Identity V3, AQAAAAEAA9CQAAAAIESkQuj2Du8Y+kbc5lcN/W/3NiAZFEm11P27nrSN5/tId+bR1SwV8CO1Jd72r4C08OLvplNlCDc3oQZ8efcW+jQ=",
      "V3 HMAC-SHA512 50 iterations 128-bit subkey, ASP.NET Core Identity V3, AQAAAAIAAAAyAAAAEOMwvh3+FZxqkdMBz2ekgGhwQ4B6pZWND6zgESBuWiHw",
      "V3 HMAC-SHA512 250 iterations 512-bit subkey, ASP.NET Core Identity V3, AQAAAAIAAAD6AAAAIJbVi5wbMR+htSfFp8fTw8N8GOS/Sje+S/4YZcgBfU7EQuqv4OkVYmc4VJl9AGZzmRTxSkP7LtVi9IWyUxX8IAAfZ8v+ZfhjCcudtC1YERSqE1OEdXLW9VukPuJWBBjLuw==",
      "V3 HMAC-SHA512 10000 iterations, ASP.NET Core Identity V3, AQAAAAIAACcQAAAAEAABAgMEBQYHCAkKCwwNDg9B0Oxwty+PGIDSp95gcCfzeDvA4sGapUIUov8usXfD6A==",
      "V3 HMAC-SHA512 100000 iterations (the default since ASP.NET Core 7), ASP.NET Core Identity V3, AQAAAAIAAYagAAAAEAABAgMEBQYHCAkKCwwNDg/Q8A0WMKbtHQJQ2DHCdoEeeFBrgNlldq6vH4qX/CGqGQ==",
  })
  void aspNetCoreIdentityKnownAnswersVerifyTheirPasswordAndNoOther(String name, String format, String hash) {
    var parsed = legacy(hash);

    assertThat(parsed.format()).isEqualTo(format);
    assertThat(matches(parsed, ASPNET_PASSWORD)).isTrue();
    assertThat(matches(parsed, "my passworD")).isFalse();
    assertThat(matches(parsed, "")).isFalse();
  }

  /** ASP.NET Core's failure cases from the same test: a wrong subkey, or bytes added at the end. */
  @ParameterizedTest
  @ValueSource(strings = {
      "AQAAAAAAAAD6AAAAEAhftMyfTJyAAAAAAAAAAAAAAAAAAAih5WsjXaR3PA9M",
      "AQAAAAIAAAAyAAAAEOMwvh3+FZxqkdMBz2ekgGhwQ4B6pZWND6zgESBuWiHwAAAAAAAAAAAA"})
  void aspNetCoreIdentityV3HashesThatWereTamperedWithMatchNothing(String hash) {
    assertThat(matches(legacy(hash), ASPNET_PASSWORD)).isFalse();
  }

  /** The documented layout, written here with the JDK's PBKDF2 for a password that is not ASCII. */
  @Test
  void aV3HashOfANonAsciiPasswordMadeByTheDocumentedAlgorithmVerifies() throws Exception {
    var salt = new byte[16];
    for (int i = 0; i < salt.length; i++) {
      salt[i] = (byte) (0xA0 + i);
    }
    var password = "pässwörd-✓";
    var subkey = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
        .generateSecret(new PBEKeySpec(password.toCharArray(), salt, 1000, 256)).getEncoded();
    var hash = ByteBuffer.allocate(13 + 16 + 32).put((byte) 1).putInt(1).putInt(1000).putInt(16).put(salt).put(subkey);

    var parsed = legacy(Base64.getEncoder().encodeToString(hash.array()));

    assertThat(matches(parsed, password)).isTrue();
    assertThat(matches(parsed, "passwörd-✓")).isFalse();
  }

  /**
   * Openwall's crypt_blowfish vectors (as Bouncy Castle's OpenBSDBCryptTest carries them). $2b$ and $2y$ differ from
   * $2a$ only for passwords of 255 bytes and more and for a bug of old crypt_blowfish in 8-bit characters.
   */
  @ParameterizedTest
  @CsvSource({
      "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW, U*U",
      "$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW, U*U",
      "$2y$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW, U*U",
      "$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK, U*U*",
      "$2a$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a, U*U*U",
  })
  void bcryptKnownAnswersVerifyTheirPasswordAndNoOther(String hash, String password) {
    var parsed = legacy(hash);

    assertThat(parsed.format()).isEqualTo("bcrypt");
    assertThat(matches(parsed, password)).isTrue();
    assertThat(matches(parsed, password + "U")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "my password",
      "5f4dcc3b5aa765d61d8327deb882cf99",
      "$1$saltsalt$qjXMvbEw8oaL.CzflDugX/",
      "$2x$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
      "$2a$03$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
      "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOe",
      "$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$!!",
      // V2 of the wrong length (ASP.NET Core's "too short" and "extra data at end")
      "AAABAgMEBQYHCAkKCwwNDg+ukCEMDf0yyQ29NYubggE=",
      "AAABAgMEBQYHCAkKCwwNDg+ukCEMDf0yyQ29NYubggHIVY0sdEUfdyeM+E1LtH1uJgAAAAAAAAAAAAA=",
      // V3 with a 12-byte subkey (ASP.NET Core's "too short"), PRF 3, 0 iterations, an 8-byte salt
      "AQAAAAIAAAAyAAAAEOMwvh3+FZxqkdMBz2ekgGhwQ4A=",
      "AQAAAAMAAAAyAAAAEOMwvh3+FZxqkdMBz2ekgGhwQ4B6pZWND6zgESBuWiHw",
      "AQAAAAIAAAAAAAAAEOMwvh3+FZxqkdMBz2ekgGhwQ4B6pZWND6zgESBuWiHw",
      "AQAAAAIAAAAyAAAACOMwvh3+FZxqkdMBz2ekgGhwQ4B6pZWND6zgESBuWiHw",
  })
  void whatIsNoneOfTheFormatsIsNotTakenForOne(String hash) {
    assertThat(ImportedHash.parse(hash)).isEmpty();
  }

  @Test
  void argon2PhcStringsOfAnyTypeAreTakenAsTheServersOwnFormat() {
    assertThat(ImportedHash.parse("$argon2i$v=19$m=2048,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2g").orElseThrow())
        .isInstanceOf(ImportedHash.Argon2.class)
        .extracting(ImportedHash::format).isEqualTo("Argon2");
  }

  @Test
  void hashesOverTheCostLimitsSaySoWithoutQuotingThemselves() {
    var limits = new CostLimits(10, 5_000, 4096, 2);
    var bcrypt = "$2a$11$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
    var v3 = "AQAAAAIAACcQAAAAEAABAgMEBQYHCAkKCwwNDg9B0Oxwty+PGIDSp95gcCfzeDvA4sGapUIUov8usXfD6A==";
    var argon2Memory = "$argon2id$v=19$m=8192,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g";
    var argon2Iterations = "$argon2id$v=19$m=1024,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2g";

    assertThat(exceeds(bcrypt, limits)).isEqualTo("bcrypt cost 11 is over the limit of 10");
    assertThat(exceeds(v3, limits)).isEqualTo("PBKDF2 iterations 10000 are over the limit of 5000");
    assertThat(exceeds(argon2Memory, limits)).isEqualTo("Argon2 memory of 8192 KiB is over the limit of 4096 KiB");
    assertThat(exceeds(argon2Iterations, limits)).isEqualTo("Argon2 iterations 3 are over the limit of 2");
    assertThat(ImportedHash.parse(v3).orElseThrow().exceeds(CostLimits.DEFAULTS)).isEmpty();
    assertThat(ImportedHash.parse(bcrypt).orElseThrow()).asString().doesNotContain("CCCC");
    assertThat(ImportedHash.parse(v3).orElseThrow()).asString().doesNotContain("AQAA");
  }

  private static String exceeds(String hash, CostLimits limits) {
    return ImportedHash.parse(hash).orElseThrow().exceeds(limits).orElseThrow();
  }

  private static ImportedHash.Legacy legacy(String hash) {
    return (ImportedHash.Legacy) ImportedHash.parse(hash).orElseThrow();
  }

  private static boolean matches(ImportedHash.Legacy hash, String password) {
    try (var typed = Password.of(password)) {
      return hash.matches(typed);
    }
  }
}
