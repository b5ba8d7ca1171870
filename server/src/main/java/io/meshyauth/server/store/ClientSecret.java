package io.meshyauth.server.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One secret of a confidential client, as stored: its SHA-256 hash, never the secret, which is shown once when it is
 * made. A secret is 256 random bits made by the server, never chosen by a person, so a fast hash leaves nothing to
 * guess offline.
 *
 * @param id a short name for the operator ({@code clients list}), not secret
 * @param hash the hex SHA-256 of the secret's UTF-8 bytes
 */
public record ClientSecret(String id, String hash, Instant createdAt) {
  public ClientSecret {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  @Override
  public String toString() {
    return "ClientSecret[id=" + id + ", createdAt=" + createdAt + "]";
  }
}
