package io.meshyauth.server.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.ECKey;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
 * signs several times faster than the JDK 17 provider (see {@code bench/run --jmh}): the pure-Java signer, used
 * where {@link NativeEs256Signer} is not (see {@link SigningImplementation}). The nonce is derived as RFC 6979
 * describes, so signing needs no random numbers. Thread-safe.
 */
final class Es256Signer extends AbstractEs256Signer {
  private static final int COORDINATE_BYTES = SIGNATURE_BYTES / 2;
  private static final ECDomainParameters P256 = p256();

  private final ECPrivateKeyParameters privateKey;

  Es256Signer(ECKey key) throws JOSEException {
    super(key);
    this.privateKey = new ECPrivateKeyParameters(key.getD().decodeToBigInteger(), P256);
  }

  @Override
  byte[] signature(byte[] signingInput) throws JOSEException {
    var signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, privateKey);
    BigInteger[] rs = signer.generateSignature(sha256(signingInput));
    var signature = new byte[SIGNATURE_BYTES];
    BigIntegers.asUnsignedByteArray(rs[0], signature, 0, COORDINATE_BYTES);
    BigIntegers.asUnsignedByteArray(rs[1], signature, COORDINATE_BYTES, COORDINATE_BYTES);
    return signature;
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
