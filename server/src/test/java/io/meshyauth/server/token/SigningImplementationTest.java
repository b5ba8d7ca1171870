package io.meshyauth.server.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.Security;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SigningImplementationTest {
  private static final String OS_NAME = System.getProperty("os.name");
  private static final String OS_ARCH = System.getProperty("os.arch");

  @Test
  void onLinuxX64AwsLcSignsWhenAllowed() throws Exception {
    assumeTrue(OS_NAME.equals("Linux") && OS_ARCH.equals("amd64"), "AWS-LC is bundled for Linux x86-64 only");

    var chosen = SigningImplementation.choose(true);

    assertThat(chosen.isNative()).as(chosen.description()).isTrue();
    assertThat(chosen.description()).matches("AWS-LC \\(ACCP \\d+\\.\\d+\\.\\d+, native\\)");
    assertThat(signsDeterministically(chosen)).isFalse();
  }

  /** The provider is used as an instance: TLS, SecureRandom and every lookup by name stay the JDK's. */
  @Test
  void awsLcIsNeverInstalledForTheJvm() {
    SigningImplementation.choose(true);

    assertThat(Arrays.stream(Security.getProviders()).map(Provider::getName))
        .doesNotContain("AmazonCorrettoCryptoProvider");
  }

  @Test
  void offGivesBouncyCastleWithoutLoadingAnything() throws Exception {
    var chosen = SigningImplementation.choose(false, "Linux", "amd64", () -> fail("loaded the native provider"));

    assertThat(chosen.isNative()).isFalse();
    assertThat(chosen.description()).isEqualTo("Bouncy Castle (pure Java): crypto.native is off");
    assertThat(signsDeterministically(chosen)).as("RFC 6979, as Bouncy Castle signs").isTrue();
  }

  @Test
  void otherPlatformsGetBouncyCastleWithoutLoadingAnything() throws Exception {
    for (var platform : new String[][] {{"Mac OS X", "aarch64"}, {"Windows 11", "amd64"}, {"Linux", "aarch64"}}) {
      var chosen = SigningImplementation.choose(true, platform[0], platform[1],
          () -> fail("loaded the native provider"));

      assertThat(chosen.isNative()).isFalse();
      assertThat(chosen.description()).isEqualTo("Bouncy Castle (pure Java): AWS-LC is bundled for Linux x86-64 "
          + "only, not " + platform[0] + " " + platform[1]);
      assertThat(signsDeterministically(chosen)).isTrue();
    }
  }

  @Test
  void aNativeLibraryThatDoesNotLoadGivesBouncyCastleWithTheReason() throws Exception {
    var chosen = SigningImplementation.choose(true, "Linux", "amd64", () -> {
      throw new GeneralSecurityException("native library not loaded", new UnsatisfiedLinkError(
          "/tmp/lib/libamazonCorrettoCryptoProvider.so: failed to map segment from shared object"));
    });

    assertThat(chosen.isNative()).isFalse();
    assertThat(chosen.description()).isEqualTo("Bouncy Castle (pure Java): AWS-LC did not load: "
        + "java.lang.UnsatisfiedLinkError: /tmp/lib/libamazonCorrettoCryptoProvider.so: failed to map segment from "
        + "shared object");
    assertThat(signsDeterministically(chosen)).isTrue();
  }

  @Test
  void providerClassesThatAreMissingGiveBouncyCastleWithTheReason() throws Exception {
    var chosen = SigningImplementation.choose(true, "Linux", "x86_64", () -> {
      throw new NoClassDefFoundError("com/amazon/corretto/crypto/provider/AmazonCorrettoCryptoProvider");
    });

    assertThat(chosen.isNative()).isFalse();
    assertThat(chosen.description()).isEqualTo("Bouncy Castle (pure Java): AWS-LC did not load: "
        + "java.lang.NoClassDefFoundError: com/amazon/corretto/crypto/provider/AmazonCorrettoCryptoProvider");
  }

  @Test
  void aProviderWithoutP256SignaturesGivesBouncyCastleAtStartNotAtTheFirstToken() throws Exception {
    var empty = new Provider("Empty", "1.0", "signs nothing") { };

    var chosen = SigningImplementation.choose(true, "Linux", "amd64", () -> empty);

    assertThat(chosen.isNative()).isFalse();
    assertThat(chosen.description()).startsWith("Bouncy Castle (pure Java): AWS-LC did not load: "
        + "java.security.NoSuchAlgorithmException: no such algorithm: SHA256withECDSAinP1363Format");
  }

  /** RFC 6979 (Bouncy Castle) signs an input the same way each time; AWS-LC's hedged nonces do not. */
  private static boolean signsDeterministically(SigningImplementation implementation) throws JOSEException {
    var signer = implementation.signer(p256());
    var header = new JWSHeader(JWSAlgorithm.ES256);
    return signer.sign(header, new byte[] {1, 2, 3}).equals(signer.sign(header, new byte[] {1, 2, 3}));
  }

  private static ECKey p256() throws JOSEException {
    return new ECKeyGenerator(Curve.P_256).generate();
  }
}
