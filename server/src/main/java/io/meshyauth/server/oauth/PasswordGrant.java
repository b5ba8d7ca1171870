package io.meshyauth.server.oauth;

import io.meshyauth.server.values.Password;
import io.meshyauth.server.values.Scope;
import java.util.Optional;

/** RFC 6749 section 4.3.2; the client's address counts its failed attempts (section 4.3.2's brute force). */
public record PasswordGrant(AuthenticatedClient client, String username, Password password, Optional<Scope> scope,
    String clientAddress) implements TokenRequest {
}
