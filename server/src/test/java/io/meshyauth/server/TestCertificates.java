package io.meshyauth.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/** Self-signed certificates for localhost and 127.0.0.1, written as the PEM files an operator would have. */
public final class TestCertificates {
  /** How the private key is written: PKCS#8 ({@code BEGIN PRIVATE KEY}) or traditional ({@code BEGIN EC/RSA ...}). */
  public enum KeyFormat { PKCS8, TRADITIONAL }

  /** The files, and the certificate a client must trust. */
  public record Pem(Path certificate, Path privateKey, X509Certificate trusted) {
    /** A client context that trusts this certificate alone. */
    public SSLContext clientContext() {
      try {
        var trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", trusted);
        var managers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        managers.init(trust);
        var context = SSLContext.getInstance("TLS");
        context.init(null, managers.getTrustManagers(), null);
        return context;
      } catch (GeneralSecurityException | IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private TestCertificates() {
  }

  /** An EC (P-256) or RSA (2048) key and its certificate, in {@code directory}. */
  public static Pem write(Path directory, String algorithm, KeyFormat format) {
    var keys = keyPair(algorithm);
    var certificate = selfSigned(keys);
    var certificateFile = directory.resolve(algorithm.toLowerCase() + "-certificate.pem");
    var keyFile = directory.resolve(algorithm.toLowerCase() + "-" + format.name().toLowerCase() + "-key.pem");
    writePem(certificateFile, certificate);
    try {
      writePem(keyFile, format == KeyFormat.PKCS8 ? new JcaPKCS8Generator(keys.getPrivate(), null)
          : "EC".equals(algorithm) ? sec1(keys) : keys.getPrivate());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Pem(certificateFile, keyFile, certificate);
  }

  /** {@code BEGIN EC PRIVATE KEY} as OpenSSL writes it (RFC 5915), the curve named inside. */
  private static PemObject sec1(KeyPair keys) throws IOException {
    var pkcs8 = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
    var key = ECPrivateKey.getInstance(pkcs8.parsePrivateKey()).getKey();
    var publicKey = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()).getPublicKeyData();
    var curve = pkcs8.getPrivateKeyAlgorithm().getParameters();
    return new PemObject("EC PRIVATE KEY", new ECPrivateKey(256, key, publicKey, curve).getEncoded());
  }

  static KeyPair keyPair(String algorithm) {
    try {
      var generator = KeyPairGenerator.getInstance(algorithm);
      if ("EC".equals(algorithm)) {
        generator.initialize(new ECGenParameterSpec("secp256r1"));
      } else {
        generator.initialize(2048);
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static X509Certificate selfSigned(KeyPair keys) {
    try {
      var name = new X500Name("CN=localhost");
      var now = Instant.now();
      var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
          Date.from(now.minus(Duration.ofMinutes(1))), Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic());
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
          new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
      var signer = new JcaContentSignerBuilder("EC".equals(keys.getPublic().getAlgorithm()) ? "SHA256withECDSA"
          : "SHA256withRSA").build(keys.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void writePem(Path file, Object object) {
    try (Writer out = Files.newBufferedWriter(file); var pem = new JcaPEMWriter(out)) {
      pem.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
