package io.meshyauth.client;

import java.time.Instant;

/** A role of a user, and when it was given (MeshyDB's UserRole). */
public record UserRole(String name, Instant addedDate) {
}
