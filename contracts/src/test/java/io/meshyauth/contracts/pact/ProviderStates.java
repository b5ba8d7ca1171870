package io.meshyauth.contracts.pact;

/**
 * Who the pact is between. The provider states the interactions name are those of
 * {@link io.meshyauth.server.fixtures.ContractFixtures}, which serve --fixtures sets up too.
 */
final class ProviderStates {
  static final String CONSUMER = "meshy-auth-java-sdk";
  static final String PROVIDER = "meshy-auth-server";

  private ProviderStates() {
  }
}
