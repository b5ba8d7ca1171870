package io.meshyauth.server.events;

import java.util.List;

/**
 * Where the grant path, the limits, key rotation, user changes and the admin commands report what happened, each
 * once; who listens (the audit log, the metrics) is decided where the server is put together.
 */
@FunctionalInterface
public interface SecurityEvents {
  /** Listens to nothing: for tools and tests that have no audit log. */
  SecurityEvents NONE = event -> { };

  void report(SecurityEvent event);

  /** Every listener hears every event, in the order given. */
  static SecurityEvents toAll(SecurityEvents... listeners) {
    var all = List.of(listeners);
    return event -> all.forEach(listener -> listener.report(event));
  }
}
