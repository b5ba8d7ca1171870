package io.meshyauth.server.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.spec.ECPrivateKeySpec;

/**
 * ES256 with a native provider's P-256: AWS-LC through Amazon Corretto Crypto Provider, given as an instance and
 * never installed for the JVM (see {@link SigningImplementation}). A fifth to a tenth of {@link Es256Signer}'s CPU
 * per signature ({@code bench/run --jmh -- Signing}). The provider's key object is built once, here; each
 * signature gets a {@link Signature} of its own, which measured within a few percent of one kept per thread and
 * keeps nothing per account and thread. Thread-safe.
 *
 * <p>Nonces are hedged, not RFC 6979: AWS-LC's {@code ECDSA_do_sign} (crypto/fipsmodule/ecdsa/ecdsa.c) draws each
 * nonce from its CTR-DRBG with a SHA-512 hash of the private key and the message digest as additional input,
 * "a hardening measure against entropy failure". With good randomness the nonce is uniformly random; without it,
 * the nonce is still a secret function of key and message, as RFC 6979's is, so it neither repeats for another
 * message nor becomes predictable. The same message thus signs differently each time, and every signature
 * verifies the same.
 */
final class NativeEs256Signer extends AbstractEs256Signer {
  /** R || S, the JWS form, straight from the provider: no DER to convert. */
  static final String ALGORITHM = "SHA256withECDSAinP1363Format";

  private final Provider provider;
  private final PrivateKey privateKey;

  NativeEs256Signer(ECKey key, Provider provider) throws JOSEException {
    super(key);
    this.provider = provider;
    try {
      privateKey = KeyFactory.getInstance("EC", provider).generatePrivate(
          new ECPrivateKeySpec(key.getD().decodeToBigInteger(), Curve.P_256.toECParameterSpec()));
    } catch (GeneralSecurityException e) {
      throw new JOSEException(provider.getName() + " cannot take the P-256 key", e);
    }
  }

  @Override
  byte[] signature(byte[] signingInput) throws JOSEException {
    try {
      var signature = Signature.getInstance(ALGORITHM, provider);
      signature.initSign(privateKey);
      signature.update(signingInput);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new JOSEException(provider.getName() + " failed to sign", e);
    }
  }
}
