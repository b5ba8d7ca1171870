package io.meshyauth.server.store;

import java.util.Objects;

/**
 * One of a user's security questions (MeshyDB's question verification and recovery), with the Argon2id PHC string
 * of its trimmed, case-folded answer.
 */
public record SecurityQuestion(String question, String answerHash) {
  public SecurityQuestion {
    Objects.requireNonNull(question, "question");
    Objects.requireNonNull(answerHash, "answerHash");
  }

  /** Without the hash: it is as good as a password to whoever can try offline guesses. */
  @Override
  public String toString() {
    return "SecurityQuestion[question=" + question + "]";
  }
}
