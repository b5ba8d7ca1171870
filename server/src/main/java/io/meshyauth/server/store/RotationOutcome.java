package io.meshyauth.server.store;

/** What {@link RefreshTokenStore#rotate} did with a presented refresh token. */
public enum RotationOutcome {
  /** The token was live: it is rotated now and its successor is stored. */
  ROTATED,
  /**
   * The token was rotated less than the grace window ago and its family is live: a legitimate client
   * retrying a refresh whose answer it lost, or two of its requests racing. The successor is stored beside the
   * first one, in the same family.
   */
  WITHIN_GRACE,
  /**
   * The token was rotated longer ago than the grace window, or its family was revoked: a replay
   * (RFC 9700 section 4.14.2). The whole family is revoked and nothing is stored.
   */
  REPLAYED,
  /** No token has that hash. */
  NOT_FOUND
}
