package io.meshyauth.server.password;

/** Every hashing slot is busy and the queue for them is full: the login is refused before it waits. */
public final class HashingBusyException extends RuntimeException {
  public HashingBusyException(int running, int waiting) {
    super("all " + running + " hashing slots are busy and " + waiting + " hashes wait for one", null, false, false);
  }
}
