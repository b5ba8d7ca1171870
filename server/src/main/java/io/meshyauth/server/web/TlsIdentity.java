package io.meshyauth.server.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The certificate chain and private key the server presents over HTTPS, read from PEM files as web servers and
 * certificate tools write them: the chain leaf first, the key PKCS#8 ({@code BEGIN PRIVATE KEY}) or traditional
 * ({@code BEGIN EC PRIVATE KEY}, {@code BEGIN RSA PRIVATE KEY}).
 */
public final class TlsIdentity {
  private final List<X509Certificate> chain;
  private final PrivateKey privateKey;

  /** Refuses a key that does not belong to the chain's first certificate. */
  public TlsIdentity(List<X509Certificate> chain, PrivateKey privateKey) {
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("the certificate chain is empty");
    }
    this.chain = List.copyOf(chain);
    this.privateKey = privateKey;
    if (!matches(this.chain.get(0), privateKey)) {
      throw new IllegalArgumentException("the private key does not belong to the first certificate of the chain ("
          + this.chain.get(0).getSubjectX500Principal().getName() + ")");
    }
  }

  public static List<X509Certificate> readCertificateChain(Path file) throws IOException {
    var chain = new ArrayList<X509Certificate>();
    try (var parser = new PEMParser(Files.newBufferedReader(file, StandardCharsets.US_ASCII))) {
      var factory = CertificateFactory.getInstance("X.509");
      for (Object object; (object = parser.readObject()) != null; ) {
        if (!(object instanceof X509CertificateHolder holder)) {
          throw new IllegalArgumentException("holds something other than certificates ("
              + object.getClass().getSimpleName() + ")");
        }
        chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(holder.getEncoded())));
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("holds a certificate that cannot be read: " + e.getMessage(), e);
    }
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    return chain;
  }

  public static PrivateKey readPrivateKey(Path file) throws IOException {
    Object object;
    try (var parser = new PEMParser(Files.newBufferedReader(file, StandardCharsets.US_ASCII))) {
      object = parser.readObject();
    }
    PrivateKeyInfo info;
    if (object instanceof PrivateKeyInfo pkcs8) {
      info = pkcs8;
    } else if (object instanceof PEMKeyPair traditional) {
      info = traditional.getPrivateKeyInfo();
    } else if (object instanceof PKCS8EncryptedPrivateKeyInfo || object instanceof PEMEncryptedKeyPair) {
      throw new IllegalArgumentException("holds an encrypted private key: give it unencrypted and protect the file "
          + "by its permissions");
    } else {
      throw new IllegalArgumentException("holds no PEM private key (-----BEGIN PRIVATE KEY-----, "
          + "-----BEGIN EC PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)");
    }
    var oid = info.getPrivateKeyAlgorithm().getAlgorithm();
    String algorithm;
    if (X9ObjectIdentifiers.id_ecPublicKey.equals(oid)) {
      algorithm = "EC";
    } else if (PKCSObjectIdentifiers.rsaEncryption.equals(oid)) {
      algorithm = "RSA";
    } else {
      throw new IllegalArgumentException("holds a key of an unsupported algorithm (" + oid + "); use EC or RSA");
    }
    try {
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("holds a private key that cannot be read: " + e.getMessage(), e);
    }
  }

  /** Jetty's TLS set-up with this identity, in a key store that lives in memory only. */
  public SslContextFactory.Server sslContextFactory() {
    // the password protects nothing at rest; Jetty's key manager needs one
    var random = new SecureRandom();
    var password = new char[32];
    for (int i = 0; i < password.length; i++) {
      password[i] = (char) ('a' + random.nextInt(26));
    }
    try {
      var store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("meshy-auth", privateKey, password, chain.toArray(Certificate[]::new));
      var factory = new SslContextFactory.Server();
      factory.setKeyStore(store);
      factory.setKeyStorePassword(new String(password));
      return factory;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("the TLS key store cannot be built", e);
    }
  }

  public X509Certificate certificate() {
    return chain.get(0);
  }

  private static boolean matches(X509Certificate certificate, PrivateKey key) {
    try {
      var algorithm = "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
      var probe = "meshy-auth key check".getBytes(StandardCharsets.US_ASCII);
      var signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      var signature = signer.sign();
      var verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "TlsIdentity[" + certificate().getSubjectX500Principal().getName() + "]";
  }
}
