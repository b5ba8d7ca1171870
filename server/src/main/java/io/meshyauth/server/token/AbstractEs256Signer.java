package io.meshyauth.server.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import java.util.Set;

/** What every ES256 signer checks and how it answers: a P-256 private key, ES256 headers only. */
abstract class AbstractEs256Signer implements JWSSigner {
  /** R and S, 32 bytes each, as RFC 7518 section 3.4 puts them in a JWS (not DER). */
  static final int SIGNATURE_BYTES = 64;

  private final JCAContext jcaContext = new JCAContext();

  AbstractEs256Signer(ECKey key) throws JOSEException {
    if (!Curve.P_256.equals(key.getCurve()) || !key.isPrivate()) {
      throw new JOSEException("an ES256 signer needs a private P-256 key");
    }
  }

  /** The 64-byte R || S signature of the input, hashed with SHA-256. */
  abstract byte[] signature(byte[] signingInput) throws JOSEException;

  @Override
  public final Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
    if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())) {
      throw new JOSEException("this signer signs ES256 only, not " + header.getAlgorithm());
    }
    return Base64URL.encode(signature(signingInput));
  }

  @Override
  public final Set<JWSAlgorithm> supportedJWSAlgorithms() {
    return Set.of(JWSAlgorithm.ES256);
  }

  @Override
  public final JCAContext getJCAContext() {
    return jcaContext;
  }
}
