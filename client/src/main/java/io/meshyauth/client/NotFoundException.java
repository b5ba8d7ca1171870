package io.meshyauth.client;

/**
 * HTTP 404: there is no such user ({@code forgotPassword} of an unknown username, MeshyDB's "User was not found.")
 * or no such account.
 */
public final class NotFoundException extends MeshyAuthException {
  private final String description;

  NotFoundException(String description, String meshyMessage) {
    super(404, description == null ? "not_found" : "not_found: " + description, meshyMessage);
    this.description = description;
  }

  /** The server's client-safe explanation; may be null. */
  public String description() {
    return description;
  }
}
