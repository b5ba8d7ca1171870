package io.meshyauth.client;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * MeshyDB's VerificationHash: what {@code registerUser} and {@code forgotPassword} answer, to be sent back unchanged
 * with the code (or the security answer) to {@code verify}, {@code checkHash} or {@code resetPassword}. The server
 * keeps no state in between: keep this value until the user types the code. Works until {@link #expires()}, once.
 */
public record VerificationHash(String username, int attempt, String hash, Instant expires, Optional<String> hint) {
  public VerificationHash {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(expires, "expires");
    Objects.requireNonNull(hint, "hint");
  }

  static VerificationHash of(io.meshyauth.client.generated.model.VerificationHash answer) {
    return new VerificationHash(answer.getUsername(), answer.getAttempt() == null ? 1 : answer.getAttempt(),
        answer.getHash(), answer.getExpires().toInstant(), Optional.ofNullable(answer.getHint()));
  }
}
