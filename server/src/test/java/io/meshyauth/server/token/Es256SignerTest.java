package io.meshyauth.server.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Both ES256 signers: Bouncy Castle's, everywhere, and AWS-LC's where it loads (see SigningImplementationTest). */
class Es256SignerTest {
  private static final SigningImplementation NATIVE_WHERE_IT_LOADS = SigningImplementation.choose(true);
  private static final JWSHeader ES256 = new JWSHeader(JWSAlgorithm.ES256);

  private final ECKey key = generate(Curve.P_256);

  static Stream<SigningImplementation> implementations() {
    return NATIVE_WHERE_IT_LOADS.isNative()
        ? Stream.of(SigningImplementation.pureJava(), NATIVE_WHERE_IT_LOADS)
        : Stream.of(SigningImplementation.pureJava());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("implementations")
  void itsSignaturesVerifyWithTheJdkAndWithNimbusForManyInputs(SigningImplementation implementation)
      throws Exception {
    var signer = implementation.signer(key);
    var random = new Random(6979);
    for (int i = 0; i < 100; i++) {
      var claims = new byte[random.nextInt(1500)];
      random.nextBytes(claims);
      var jws = new JWSObject(ES256, new Payload(Base64URL.encode(claims)));
      jws.sign(signer);

      assertThat(jws.verify(new ECDSAVerifier(key.toPublicJWK()))).as("input %d", i).isTrue();
      assertThat(jdkVerifies(jws.getSigningInput(), jws.getSignature())).as("input %d", i).isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("implementations")
  void aSignatureDoesNotVerifyForOtherContentOrAnotherKey(SigningImplementation implementation) throws Exception {
    var jws = new JWSObject(ES256, new Payload("{\"sub\":\"someone\"}"));
    jws.sign(implementation.signer(key));
    var tampered = new JWSObject(jws.getHeader().toBase64URL(), new Payload("{\"sub\":\"someone-else\"}"),
        jws.getSignature());

    assertThat(tampered.verify(new ECDSAVerifier(key.toPublicJWK()))).isFalse();
    assertThat(jws.verify(new ECDSAVerifier(generate(Curve.P_256).toPublicJWK()))).isFalse();
  }

  /** One signer, as SigningKeys caches it, used by many request threads at once. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("implementations")
  void signaturesMadeOnManyThreadsAtOnceAllVerify(SigningImplementation implementation) throws Exception {
    var signer = implementation.signer(key);
    int threads = 8;
    int each = 500;
    var start = new CountDownLatch(1);
    var pool = Executors.newFixedThreadPool(threads);
    try {
      var tasks = new ArrayList<Future<List<Signed>>>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        tasks.add(pool.submit((Callable<List<Signed>>) () -> {
          start.await();
          var signed = new ArrayList<Signed>();
          for (int i = 0; i < each; i++) {
            var input = ("thread " + thread + " token " + i).getBytes(StandardCharsets.UTF_8);
            signed.add(new Signed(input, signer.sign(ES256, input)));
          }
          return signed;
        }));
      }
      start.countDown();
      var all = new ArrayList<Signed>();
      for (var task : tasks) {
        all.addAll(task.get(2, TimeUnit.MINUTES));
      }

      assertThat(all).hasSize(threads * each);
      assertThat(all.parallelStream().filter(signed -> !verifies(signed.input(), signed.signature())).toList())
          .isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }

  /** RFC 6979 nonces: the same input signs the same way, other inputs differently (no nonce reuse). */
  @Test
  void bouncyCastleDerivesItsNoncesFromKeyAndMessage() throws Exception {
    var signer = SigningImplementation.pureJava().signer(key);
    var seen = new HashSet<String>();
    for (int i = 0; i < 20; i++) {
      seen.add(signer.sign(ES256, ("message " + i).getBytes()).toString());
    }

    assertThat(signer.sign(ES256, "message 0".getBytes())).isEqualTo(signer.sign(ES256, "message 0".getBytes()));
    assertThat(seen).hasSize(20);
    assertThat(signer.sign(ES256, new byte[0]).decode()).hasSize(64);
  }

  /** Hedged nonces (see NativeEs256Signer): fresh randomness each time, so even the same input signs anew. */
  @Test
  void awsLcDrawsAFreshNonceForEverySignatureOfTheSameInput() throws Exception {
    assumeTrue(NATIVE_WHERE_IT_LOADS.isNative(), "AWS-LC does not load here: " + NATIVE_WHERE_IT_LOADS);
    var signer = NATIVE_WHERE_IT_LOADS.signer(key);
    var input = "message 0".getBytes();
    var seen = new HashSet<Base64URL>();
    for (int i = 0; i < 20; i++) {
      var signature = signer.sign(ES256, input);
      assertThat(jdkVerifies(input, signature)).isTrue();
      seen.add(signature);
    }

    assertThat(seen).hasSize(20);
    assertThat(signer.sign(ES256, new byte[0]).decode()).hasSize(64);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("implementations")
  void onlyPrivateP256KeysAndEs256Headers(SigningImplementation implementation) throws Exception {
    assertThatThrownBy(() -> implementation.signer(generate(Curve.P_384))).isInstanceOf(JOSEException.class);
    assertThatThrownBy(() -> implementation.signer(key.toPublicJWK())).isInstanceOf(JOSEException.class);
    JWSSigner signer = implementation.signer(key);
    assertThatThrownBy(() -> signer.sign(new JWSHeader(JWSAlgorithm.ES384), new byte[1]))
        .isInstanceOf(JOSEException.class);
    assertThat(signer.supportedJWSAlgorithms()).containsExactly(JWSAlgorithm.ES256);
  }

  private record Signed(byte[] input, Base64URL signature) {
  }

  private boolean jdkVerifies(byte[] input, Base64URL signature) {
    try {
      return verifies(Signature.getInstance(NativeEs256Signer.ALGORITHM), input, signature);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * As the JDK would, with AWS-LC where it loads: 4000 verifications cost about 7 s of CPU with the JDK's
   * provider, 0.2 s with AWS-LC. A signature mixed up between threads fails with any correct verifier.
   */
  private boolean verifies(byte[] input, Base64URL signature) {
    if (!NATIVE_WHERE_IT_LOADS.isNative()) {
      return jdkVerifies(input, signature);
    }
    try {
      return verifies(Signature.getInstance(NativeEs256Signer.ALGORITHM, AmazonCorrettoCryptoProvider.INSTANCE),
          input, signature);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private boolean verifies(Signature verifier, byte[] input, Base64URL signature) throws GeneralSecurityException {
    try {
      verifier.initVerify(key.toECPublicKey());
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    verifier.update(input);
    return verifier.verify(signature.decode());
  }

  private static ECKey generate(Curve curve) {
    try {
      return new ECKeyGenerator(curve).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
