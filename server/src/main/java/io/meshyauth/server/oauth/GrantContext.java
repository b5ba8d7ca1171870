package io.meshyauth.server.oauth;

import io.meshyauth.server.events.SecurityEvents;
import io.meshyauth.server.limit.LoginThrottle;
import io.meshyauth.server.password.PasswordHasher;
import io.meshyauth.server.store.RefreshTokenStore;
import io.meshyauth.server.store.UserStore;
import java.time.Duration;

/**
 * Everything a grant handler may be built from: each handler takes what it needs from here in its one constructor,
 * {@code (GrantContext)}. A grant that needs something new adds it here, once.
 *
 * @param loginThrottle the users' failed-login budgets
 * @param refreshGraceWindow how long after its rotation a refresh token may be presented again and still be answered
 */
public record GrantContext(UserStore users, RefreshTokenStore refreshTokens, PasswordHasher hasher,
    LoginThrottle loginThrottle, TokenMinter minter, Duration refreshGraceWindow, SecurityEvents events) {
}
