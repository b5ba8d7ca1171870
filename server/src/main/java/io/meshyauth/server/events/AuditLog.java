package io.meshyauth.server.events;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per security event on the logger {@value #LOGGER}, which operators can route on its own: the
 * message is the event's name, and the key-value pairs are {@code event} and the event's fields. Values come
 * from clients too (a username as typed), so each is cut at {@value #MAX_VALUE_LENGTH} characters: a login with
 * a 16 KiB username must not write 16 KiB of log.
 */
public final class AuditLog implements SecurityEvents {
  public static final String LOGGER = "meshy.audit";
  static final int MAX_VALUE_LENGTH = 200;
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  @Override
  public void report(SecurityEvent event) {
    var line = event.alarming() ? LOG.atWarn() : LOG.atInfo();
    line = line.addKeyValue("event", event.name());
    for (var field : event.fields().entrySet()) {
      line = line.addKeyValue(field.getKey(), clip(field.getValue()));
    }
    line.log(event.name());
  }

  private static Object clip(Object value) {
    if (value instanceof String text && text.length() > MAX_VALUE_LENGTH) {
      // never half a surrogate pair
      int end = Character.isHighSurrogate(text.charAt(MAX_VALUE_LENGTH - 1)) ? MAX_VALUE_LENGTH - 1 : MAX_VALUE_LENGTH;
      return text.substring(0, end) + "...";
    }
    return value;
  }
}
