package io.meshyauth.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import io.meshyauth.server.generated.model.TokenResponse;
import io.meshyauth.server.password.Argon2Implementation;
import io.meshyauth.server.password.Argon2PasswordHasher;
import io.meshyauth.server.password.Argon2PasswordHasher.Argon2Parameters;
import io.meshyauth.server.token.SigningImplementation;
import io.meshyauth.server.token.SigningKeys;
import io.meshyauth.server.values.Password;
import io.meshyauth.server.values.Scope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's first token request runs code that no request has run yet: hundreds of classes to load and an
 * elliptic curve's tables to compute. While the main thread opens the store and starts the web server, a
 * second thread runs that code once on throwaway inputs (a key, a small Argon2 hash, a token response), so
 * that the first client does not wait for it. It touches no store and no account.
 */
public final class WarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);

  private WarmUp() {
  }

  /**
   * Starts the warm-up on a daemon thread and returns at once. It hashes and signs with the libraries the server
   * will (loading their native code there, when {@code crypto.native} allows it), so the server's own choice finds
   * them loaded.
   */
  public static Thread inBackground(ServerConfig config) {
    var thread = new Thread(() -> run(config), "meshy-auth-warm-up");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  static void run(ServerConfig config) {
    long started = System.nanoTime();
    try {
      // first, so that the native libraries are loaded (a few hundred ms of CPU) while the main thread opens the
      // store, which then finds them loaded when the server chooses
      var hasher = new Argon2PasswordHasher(new Argon2Parameters(1024, 1, 1, 1),
          Argon2Implementation.choose(config.nativeCrypto()));
      SigningKeys.warmUp(SigningImplementation.choose(config.nativeCrypto()));
      try (var password = Password.of("warm-up")) {
        hasher.verify(password, hasher.hash(password));
      }
      Scope.parse("meshy.api offline_access");
      new ObjectMapper().writeValueAsString(new TokenResponse().accessToken("warm-up").tokenType("Bearer"));
      LOG.debug("warmed up the token path in {} ms", (System.nanoTime() - started) / 1_000_000);
    } catch (JOSEException | JsonProcessingException | RuntimeException e) {
      LOG.debug("warming up failed; the first requests load what they need themselves", e);
    }
  }
}
