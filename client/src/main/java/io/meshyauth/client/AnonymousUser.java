package io.meshyauth.client;

/** An anonymous user as registered: its id (the {@code sub} of its tokens) and username. */
public record AnonymousUser(String id, String username) {
}
