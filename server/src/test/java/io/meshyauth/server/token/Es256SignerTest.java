package io.meshyauth.server.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.security.Signature;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

class Es256SignerTest {
  private final ECKey key = generate(Curve.P_256);

  @Test
  void itsSignaturesVerifyWithTheJdkAndWithNimbus() throws Exception {
    var jws = new JWSObject(new JWSHeader(JWSAlgorithm.ES256), new Payload("{\"sub\":\"someone\"}"));
    jws.sign(new Es256Signer(key));

    assertThat(jws.verify(new ECDSAVerifier(key.toPublicJWK()))).isTrue();
    var jdk = Signature.getInstance("SHA256withECDSAinP1363Format");
    jdk.initVerify(key.toECPublicKey());
    jdk.update(jws.getSigningInput());
    assertThat(jdk.verify(jws.getSignature().decode())).isTrue();
  }

  @Test
  void aSignatureDoesNotVerifyForOtherContentOrAnotherKey() throws Exception {
    var jws = new JWSObject(new JWSHeader(JWSAlgorithm.ES256), new Payload("{\"sub\":\"someone\"}"));
    jws.sign(new Es256Signer(key));
    var tampered = new JWSObject(jws.getHeader().toBase64URL(), new Payload("{\"sub\":\"someone-else\"}"),
        jws.getSignature());

    assertThat(tampered.verify(new ECDSAVerifier(key.toPublicJWK()))).isFalse();
    assertThat(jws.verify(new ECDSAVerifier(generate(Curve.P_256).toPublicJWK()))).isFalse();
  }

  /** RFC 6979 nonces: the same input signs the same way, other inputs differently (no nonce reuse). */
  @Test
  void noncesAreDerivedFromKeyAndMessage() throws Exception {
    var signer = new Es256Signer(key);
    var header = new JWSHeader(JWSAlgorithm.ES256);
    var seen = new HashSet<String>();
    for (int i = 0; i < 20; i++) {
      seen.add(signer.sign(header, ("message " + i).getBytes()).toString());
    }

    assertThat(signer.sign(header, "message 0".getBytes())).isEqualTo(signer.sign(header, "message 0".getBytes()));
    assertThat(seen).hasSize(20);
    assertThat(signer.sign(header, new byte[0]).decode()).hasSize(64);
  }

  @Test
  void onlyPrivateP256KeysAndEs256Headers() throws Exception {
    assertThatThrownBy(() -> new Es256Signer(generate(Curve.P_384))).isInstanceOf(JOSEException.class);
    assertThatThrownBy(() -> new Es256Signer(key.toPublicJWK())).isInstanceOf(JOSEException.class);
    assertThatThrownBy(() -> new Es256Signer(key).sign(new JWSHeader(JWSAlgorithm.ES384), new byte[1]))
        .isInstanceOf(JOSEException.class);
  }

  private static ECKey generate(Curve curve) {
    try {
      return new ECKeyGenerator(curve).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
