package io.meshyauth.bench.jmh;

import io.meshyauth.server.oauth.Password;
import io.meshyauth.server.password.Argon2PasswordHasher;
import io.meshyauth.server.password.Argon2PasswordHasher.Argon2Parameters;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A wrong password as a login checks it, at the server's default Argon2 parameters: for an unknown user (the dummy
 * Argon2 check alone) and for a user whose imported hash no login has replaced yet (its own check, then the same
 * dummy check). What the two differ by is what timing can tell apart.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ImportedHashBenchmark {
  /** ASP.NET Core's own known answers (dotnet/aspnetcore PasswordHasherTest.cs), of "my password". */
  private static final String ASPNET_V2 = "AAABAgMEBQYHCAkKCwwNDg+ukCEMDf0yyQ29NYubggHIVY0sdEUfdyeM+E1LtH1uJg==";
  private static final String ASPNET_V3_SHA512_10000 =
      "AQAAAAIAACcQAAAAEAABAgMEBQYHCAkKCwwNDg9B0Oxwty+PGIDSp95gcCfzeDvA4sGapUIUov8usXfD6A==";
  private static final String ASPNET_V3_SHA512_100000 =
      "AQAAAAIAAYagAAAAEAABAgMEBQYHCAkKCwwNDg/Q8A0WMKbtHQJQ2DHCdoEeeFBrgNlldq6vH4qX/CGqGQ==";

  @Param({"unknown-user", "aspnet-v2", "aspnet-v3-sha512-10000", "aspnet-v3-sha512-100000", "bcrypt-10",
      "bcrypt-12"})
  public String hash;

  private Argon2PasswordHasher hasher;
  private String stored;

  @Setup
  public void setUp() {
    hasher = new Argon2PasswordHasher(Argon2Parameters.defaults());
    stored = switch (hash) {
      case "unknown-user" -> null;
      case "aspnet-v2" -> ASPNET_V2;
      case "aspnet-v3-sha512-10000" -> ASPNET_V3_SHA512_10000;
      case "aspnet-v3-sha512-100000" -> ASPNET_V3_SHA512_100000;
      case "bcrypt-10" -> OpenBSDBCrypt.generate("2b", "my password".toCharArray(), new byte[16], 10);
      case "bcrypt-12" -> OpenBSDBCrypt.generate("2b", "my password".toCharArray(), new byte[16], 12);
      default -> throw new IllegalArgumentException(hash);
    };
  }

  @Benchmark
  public boolean wrongPassword() {
    try (var password = Password.of("not my password")) {
      if (stored == null) {
        hasher.verifyAgainstDummy(password);
        return false;
      }
      return hasher.verify(password, stored);
    }
  }
}
