package io.meshyauth.server.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.util.BigIntegers;

/**
 * ES256 (RFC 7518 section 3.4) with Bouncy Castle's P-256 arithmetic, whose fixed-base multiplication
 * signs several times faster than the JDK 17 provider (see {@code bench/run --jmh}); every access token is
 * signed, so this is the largest cost of a refresh. The nonce is derived as RFC 6979 describes, so signing
 * needs no random numbers. Thread-safe.
 */
final class Es256Signer implements JWSSigner {
  private static final int COORDINATE_BYTES = 32;
  private static final ECDomainParameters P256 = p256();

  private final ECPrivateKeyParameters privateKey;
  private final JCAContext jcaContext = new JCAContext();

  Es256Signer(ECKey key) throws JOSEException {
    if (!Curve.P_256.equals(key.getCurve()) || !key.isPrivate()) {
      throw new JOSEException("an ES256 signer needs a private P-256 key");
    }
    this.privateKey = new ECPrivateKeyParameters(key.getD().decodeToBigInteger(), P256);
  }

  @Override
  public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
    if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())) {
      throw new JOSEException("this signer signs ES256 only, not " + header.getAlgorithm());
    }
    var signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, privateKey);
    BigInteger[] rs = signer.generateSignature(sha256(signingInput));
    var signature = new byte[2 * COORDINATE_BYTES];
    BigIntegers.asUnsignedByteArray(rs[0], signature, 0, COORDINATE_BYTES);
    BigIntegers.asUnsignedByteArray(rs[1], signature, COORDINATE_BYTES, COORDINATE_BYTES);
    return Base64URL.encode(signature);
  }

  @Override
  public Set<JWSAlgorithm> supportedJWSAlgorithms() {
    return Set.of(JWSAlgorithm.ES256);
  }

  @Override
  public JCAContext getJCAContext() {
    return jcaContext;
  }

  private static byte[] sha256(byte[] input) throws JOSEException {
    try {
      return MessageDigest.getInstance("SHA-256").digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new JOSEException("SHA-256 is not available", e);
    }
  }

  private static ECDomainParameters p256() {
    X9ECParameters curve = CustomNamedCurves.getByName("P-256");
    return new ECDomainParameters(curve.getCurve(), curve.getG(), curve.getN(), curve.getH(), curve.getSeed());
  }
}
