package io.meshyauth.client;

import java.util.Objects;

/** A security question and its answer, as a user sets them (MeshyDB's SecurityQuestion). */
public record SecurityQuestion(String question, String answer) {
  public SecurityQuestion {
    Objects.requireNonNull(question, "question");
    Objects.requireNonNull(answer, "answer");
  }

  @Override
  public String toString() {
    return "SecurityQuestion[question=" + question + "]";
  }
}
