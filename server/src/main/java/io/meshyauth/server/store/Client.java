package io.meshyauth.server.store;

import io.meshyauth.server.values.Scope;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A client of an account (RFC 6749 section 2.1). A public client (MeshyDB's SDKs, the {@code publicKey}) names
 * itself by its {@code client_id} alone and may use every grant open to public clients. A confidential client
 * authenticates with one of its secrets, of which it holds at most {@value #MAX_SECRETS} so that one can be rotated
 * with no downtime, and may use only the grants it was given; its {@code scope}, when set, bounds what it may ask.
 *
 * @param grantTypes the grants a confidential client may use, as the document names them; empty for a public client
 * @param scope what a confidential client may ask for, within the account's scopes; empty for the account's own
 * @param secrets a confidential client's secrets, oldest first; none for a public client
 */
public record Client(String accountName, String clientId, boolean confidential, Set<String> grantTypes,
    Optional<Scope> scope, List<ClientSecret> secrets) {
  public static final int MAX_SECRETS = 2;

  public Client {
    Objects.requireNonNull(accountName, "accountName");
    Objects.requireNonNull(clientId, "clientId");
    grantTypes = Set.copyOf(grantTypes);
    Objects.requireNonNull(scope, "scope");
    secrets = secrets.stream().sorted(Comparator.comparing(ClientSecret::createdAt).thenComparing(ClientSecret::id))
        .toList();
    if (!confidential && (!grantTypes.isEmpty() || scope.isPresent() || !secrets.isEmpty())) {
      throw new IllegalArgumentException("a public client has no grants, scope or secrets of its own");
    }
    if (confidential && grantTypes.isEmpty()) {
      throw new IllegalArgumentException("a confidential client needs at least one grant");
    }
    if (secrets.size() > MAX_SECRETS) {
      throw new IllegalArgumentException("a client holds at most " + MAX_SECRETS + " secrets");
    }
  }

  /** A public client, as every client was before confidential ones. */
  public static Client publicClient(String accountName, String clientId) {
    return new Client(accountName, clientId, false, Set.of(), Optional.empty(), List.of());
  }

  /**
   * Whether the client may use the grant: a public client every grant open to public clients, a confidential one
   * its own.
   */
  public boolean allowsGrant(String grantType) {
    return !confidential || grantTypes.contains(grantType);
  }

  public Client withSecrets(List<ClientSecret> replaced) {
    return new Client(accountName, clientId, confidential, grantTypes, scope, replaced);
  }
}
