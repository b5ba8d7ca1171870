package io.meshyauth.client;

import static io.meshyauth.client.TestServer.PASSWORD;
import static io.meshyauth.client.TestServer.USERNAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.meshyauth.server.web.TlsIdentity;
import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SDK over HTTPS: a client given an OkHttpClient that trusts the server's certificate logs in. */
class HttpsTest {
  private X509Certificate certificate;
  private TestServer server;

  @BeforeEach
  void startServerWithASelfSignedCertificate() throws Exception {
    var generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    var keys = generator.generateKeyPair();
    var name = new X500Name("CN=localhost");
    var now = Instant.now();
    var builder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(now.minus(Duration.ofMinutes(1))),
        Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic());
    builder.addExtension(Extension.subjectAlternativeName, false,
        new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
    certificate = new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    server = TestServer.startWithTls(new TlsIdentity(List.of(certificate), keys.getPrivate()));
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void aClientTrustingTheCertificateLogsInRefreshesAndSignsOut() throws Exception {
    var client = server.client().okHttpClient(trusting(certificate)).build();

    var connection = client.loginWithPassword(USERNAME, PASSWORD);
    var first = connection.accessToken();
    connection.refresh();
    var second = connection.accessToken();
    connection.signOut();

    assertThat(server.baseUrl()).startsWith("https://");
    assertThat(first).isNotBlank();
    assertThat(second).isNotBlank().isNotEqualTo(first);
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateCannotReachTheServer() {
    var client = server.client().build();

    var failure = catchThrowableOfType(MeshyAuthException.class, () -> client.loginWithPassword(USERNAME, PASSWORD));

    assertThat(failure).hasMessageContaining("Could not reach the token service");
  }

  /** What an application does to trust a private CA or a self-signed certificate: OkHttp's own TLS settings. */
  private static OkHttpClient trusting(X509Certificate certificate) throws Exception {
    var trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("server", certificate);
    var factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trusted);
    var trustManager = (X509TrustManager) factory.getTrustManagers()[0];
    var context = SSLContext.getInstance("TLS");
    context.init(null, new X509TrustManager[] {trustManager}, null);
    return new OkHttpClient.Builder().sslSocketFactory(context.getSocketFactory(), trustManager).build();
  }
}
