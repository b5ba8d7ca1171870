package io.meshyauth.server.logging;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How log lines look on the console: readable text for a person at a terminal, JSON lines for a collector. */
public enum LogFormat {
  /** Text on a terminal, JSON otherwise. */
  AUTO,
  TEXT,
  JSON;

  /** The setting's value, {@code auto}, {@code text} or {@code json}. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<LogFormat> parse(String value) {
    return Arrays.stream(values()).filter(format -> format.value().equals(value)).findFirst();
  }

  /**
   * TEXT or JSON. A terminal is what {@link System#console()} sees: on Java 17, standard input and output both
   * attached to one, so output piped or redirected anywhere (a file, a collector, a container's log) gets JSON.
   */
  public LogFormat resolve() {
    if (this != AUTO) {
      return this;
    }
    return System.console() != null ? TEXT : JSON;
  }
}
