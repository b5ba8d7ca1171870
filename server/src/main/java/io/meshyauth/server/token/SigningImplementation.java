package io.meshyauth.server.token;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jwk.ECKey;
import io.meshyauth.server.config.SettingKeys;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.Signature;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which ES256 signer a process uses, chosen once at start: AWS-LC ({@link NativeEs256Signer}) where its native
 * library is bundled (Linux x86-64), loads and is allowed ({@code crypto.native=auto}); Bouncy Castle
 * ({@link Es256Signer}, pure Java) anywhere else, whatever kept the native one from loading. The native provider
 * is used as an instance, never installed: TLS, {@code SecureRandom} and every other JCA lookup stay the JDK's.
 * Immutable.
 */
public final class SigningImplementation {
  private static final Logger LOG = LoggerFactory.getLogger(SigningImplementation.class);
  private static final String PURE_JAVA = "Bouncy Castle (pure Java)";

  private final Optional<Provider> nativeProvider;
  private final String description;

  private SigningImplementation(Optional<Provider> nativeProvider, String description) {
    this.nativeProvider = nativeProvider;
    this.description = description;
  }

  /** Bouncy Castle, for what signs without a configuration (tests, tools). */
  public static SigningImplementation pureJava() {
    return new SigningImplementation(Optional.empty(), PURE_JAVA);
  }

  /**
   * AWS-LC when {@code nativeAllowed} and this platform loads it, Bouncy Castle otherwise. Never throws; the choice
   * is made once per process (the warm-up and the server ask for it both).
   */
  public static SigningImplementation choose(boolean nativeAllowed) {
    return nativeAllowed ? Auto.CHOICE : pureJava(SettingKeys.CRYPTO_NATIVE + " is off");
  }

  /** The process's choice for crypto.native=auto. */
  private static final class Auto {
    static final SigningImplementation CHOICE = choose(true, System.getProperty("os.name"),
        System.getProperty("os.arch"), SigningImplementation::awsLc);
  }

  /** As {@link #choose(boolean)} on the platform named, loading the native provider with {@code loadNative}. */
  static SigningImplementation choose(boolean nativeAllowed, String osName, String osArch,
      Callable<Provider> loadNative) {
    if (!nativeAllowed) {
      return pureJava(SettingKeys.CRYPTO_NATIVE + " is off");
    }
    if (!osName.toLowerCase(Locale.ROOT).startsWith("linux") || !(osArch.equals("amd64") || osArch.equals("x86_64"))) {
      return pureJava("AWS-LC is bundled for Linux x86-64 only, not " + osName + " " + osArch);
    }
    Provider provider;
    try {
      provider = loadNative.call();
      // what signing needs, asked now: a provider without it falls back at start, not at the first token
      Signature.getInstance(NativeEs256Signer.ALGORITHM, provider);
      KeyFactory.getInstance("EC", provider);
    } catch (Exception | LinkageError e) {
      LOG.debug("AWS-LC did not load", e);
      return pureJava("AWS-LC did not load: " + rootCause(e));
    }
    return new SigningImplementation(Optional.of(provider), "AWS-LC (ACCP " + provider.getVersionStr() + ", native)");
  }

  private static SigningImplementation pureJava(String reason) {
    return new SigningImplementation(Optional.empty(), PURE_JAVA + ": " + reason);
  }

  /** ACCP's native library is copied out of its jar and loaded when the class is first used. */
  private static Provider awsLc() throws GeneralSecurityException {
    var provider = AmazonCorrettoCryptoProvider.INSTANCE;
    if (provider.getLoadingError() != null) {
      throw new GeneralSecurityException("native library not loaded", provider.getLoadingError());
    }
    return provider;
  }

  private static String rootCause(Throwable e) {
    var cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.toString();
  }

  /** A signer for the private P-256 key; cheap enough to make whenever a key is read. */
  public JWSSigner signer(ECKey key) throws JOSEException {
    return nativeProvider.isPresent() ? new NativeEs256Signer(key, nativeProvider.get()) : new Es256Signer(key);
  }

  public boolean isNative() {
    return nativeProvider.isPresent();
  }

  /** For the start-up line, e.g. {@code AWS-LC (ACCP 2.5.0, native)} or {@code Bouncy Castle (pure Java): why}. */
  public String description() {
    return description;
  }

  @Override
  public String toString() {
    return description;
  }
}
