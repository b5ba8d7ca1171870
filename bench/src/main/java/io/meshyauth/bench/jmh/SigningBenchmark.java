package io.meshyauth.bench.jmh;

import io.meshyauth.server.events.SecurityEvents;
import io.meshyauth.server.store.Account;
import io.meshyauth.server.store.Stores;
import io.meshyauth.server.store.jdbc.JdbcStores;
import io.meshyauth.server.token.AccessTokenIssuer;
import io.meshyauth.server.token.AccessTokenIssuer.AccessTokenClaims;
import io.meshyauth.server.token.SigningImplementation;
import io.meshyauth.server.token.SigningKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One access token as the server mints it: claims, an ES256 signature (P-256) with the cached key, serialised;
 * with each signer the server can choose (see {@link SigningImplementation}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SigningBenchmark {

  @State(Scope.Benchmark)
  public static class Issuer {
    /** {@code aws-lc}: what {@code crypto.native=auto} gives on Linux x86-64; {@code bouncy-castle}: elsewhere. */
    @Param({"bouncy-castle", "aws-lc"})
    public String signer;

    private Stores stores;
    private Account account;
    private AccessTokenIssuer issuer;

    @Setup
    public void setUp() {
      var implementation = signer.equals("aws-lc") ? SigningImplementation.choose(true)
          : SigningImplementation.pureJava();
      if (implementation.isNative() != signer.equals("aws-lc")) {
        throw new IllegalStateException("asked for " + signer + ", got " + implementation.description());
      }
      stores = JdbcStores.temporary();
      account = Fixtures.account(stores);
      issuer = new AccessTokenIssuer(new SigningKeys(stores.signingKeys(), Clock.systemUTC(), Duration.ofDays(90),
          SecurityEvents.NONE, implementation), () -> "http://127.0.0.1:8080");
    }

    @TearDown
    public void tearDown() {
      stores.close();
    }
  }

  /** For comparison: the JDK's own provider signing a token-sized input with a P-256 key. */
  @State(Scope.Benchmark)
  public static class JdkProvider {
    private java.security.KeyPair keys;
    private final byte[] input = new byte[400];

    @Setup
    public void generate() throws java.security.GeneralSecurityException {
      var generator = java.security.KeyPairGenerator.getInstance("EC");
      generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
      keys = generator.generateKeyPair();
    }
  }

  @Benchmark
  public String es256AccessToken(Issuer issuer) {
    var now = Instant.now();
    return issuer.issuer.issue(issuer.account, new AccessTokenClaims("user-id", Fixtures.ACCOUNT, Fixtures.CLIENT_ID,
        Fixtures.SCOPE, now, now.plus(issuer.account.accessTokenLifetime())));
  }

  @Benchmark
  public byte[] jdkProviderEs256Signature(JdkProvider jdk) throws java.security.GeneralSecurityException {
    var signature = java.security.Signature.getInstance("SHA256withECDSAinP1363Format");
    signature.initSign(jdk.keys.getPrivate());
    signature.update(jdk.input);
    return signature.sign();
  }
}
