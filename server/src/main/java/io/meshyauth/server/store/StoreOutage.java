package io.meshyauth.server.store;

import java.time.Instant;

/**
 * Why the store does not take work, as this process found it, and since when.
 *
 * @param unreachable whether the database cannot be reached at all: then every request that needs it is answered
 *     503 at once, without waiting for a connection, until a check in the background reaches it again; otherwise
 *     it refuses some work (a lock, a full disk) and each request still tries
 */
public record StoreOutage(Instant since, String reason, boolean unreachable) {
}
