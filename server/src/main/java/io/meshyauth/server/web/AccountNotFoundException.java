package io.meshyauth.server.web;

/** A discovery request for an account that does not exist: 404. */
final class AccountNotFoundException extends RuntimeException {
  AccountNotFoundException() {
    super("There is no such account.", null, false, false);
  }
}
