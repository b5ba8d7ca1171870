package io.meshyauth.server;

import io.meshyauth.server.password.Argon2PasswordHasher.Argon2Parameters;
import java.time.Clock;
import java.util.Optional;

/**
 * How a server instance runs. Port 0 takes a free port. The issuer base URL defaults to the address the
 * server listens on.
 */
public record ServerConfig(String host, int port, Optional<String> issuerBaseUrl, Argon2Parameters argon2,
    long maxRequestBytes, Clock clock) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;

  public ServerConfig {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
    }
    if (maxRequestBytes < 1024) {
      throw new IllegalArgumentException("maxRequestBytes must be at least 1024, was " + maxRequestBytes);
    }
  }

  public static ServerConfig defaults() {
    return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, Optional.empty(), Argon2Parameters.defaults(), 16 * 1024,
        Clock.systemUTC());
  }

  public ServerConfig withHost(String newHost) {
    return new ServerConfig(newHost, port, issuerBaseUrl, argon2, maxRequestBytes, clock);
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(host, newPort, issuerBaseUrl, argon2, maxRequestBytes, clock);
  }

  public ServerConfig withClock(Clock newClock) {
    return new ServerConfig(host, port, issuerBaseUrl, argon2, maxRequestBytes, newClock);
  }

  public ServerConfig withArgon2(Argon2Parameters newArgon2) {
    return new ServerConfig(host, port, issuerBaseUrl, newArgon2, maxRequestBytes, clock);
  }
}
