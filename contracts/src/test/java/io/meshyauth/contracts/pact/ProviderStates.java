package io.meshyauth.contracts.pact;

/** The provider states the consumer's interactions name and the provider verification sets up. */
final class ProviderStates {
  static final String CONSUMER = "meshy-auth-java-sdk";
  static final String PROVIDER = "meshy-auth-server";

  static final String ACTIVE_USER = "alice is an active user of account acme";
  static final String INACTIVE_USER = "bob is a user of account acme who is no longer active";
  static final String ANONYMOUS_USER = "device-1 is an anonymous user of account acme";
  static final String NARROW_ACCOUNT = "account narrow allows the scope meshy.api only and alice is its user";
  static final String LIVE_REFRESH_TOKEN = "alice holds the live refresh token alice-live-refresh-token";
  static final String LOGIN_REFRESH_TOKEN = "alice holds the live refresh token alice-login-refresh-token";
  static final String EXPIRED_REFRESH_TOKEN = "alice holds the expired refresh token alice-expired-refresh-token";
  static final String ROTATED_REFRESH_TOKEN =
      "alice's refresh token alice-rotated-refresh-token was rotated longer ago than the grace window";
  static final String LIMIT_USED_UP = "account limited has used up its requests for this minute";
  static final String BRUTE_FORCED_USER = "carol is a user of account acme whose failed logins used up her budget";
  static final String REGISTRATION_DISABLED = "account acme does not allow anonymous registration";
  static final String REGISTRATION_ENABLED = "account open allows anonymous registration";
  static final String DEVICE_REGISTERED = "device-2 is an anonymous user of account open, which allows registration";
  static final String ACCOUNT_EXISTS = "account acme exists, with its signing key";

  private ProviderStates() {
  }
}
