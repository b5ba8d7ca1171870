package io.meshyauth.server.oauth;

import io.meshyauth.server.values.Scope;
import java.util.Optional;

/** RFC 6749 section 4.4.2: a confidential client asks for a token of its own, with nothing but its credentials. */
public record ClientCredentialsGrant(AuthenticatedClient client, Optional<Scope> scope, String clientAddress)
    implements TokenRequest {
}
