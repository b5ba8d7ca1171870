package io.meshyauth.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

/** The console's text lines: one readable line per event, whatever a client put in the values. */
class TextLayoutTest {
  private final LoggerContext context = new LoggerContext();
  private final TextLayout layout = new TextLayout();

  TextLayoutTest() {
    layout.setContext(context);
    layout.start();
  }

  private LoggingEvent event(String logger, Level level, String message, Throwable thrown, Object... keyValues) {
    var event = new LoggingEvent(getClass().getName(), context.getLogger(logger), level, message, thrown, null);
    event.setTimeStamp(LocalDateTime.of(2026, 11, 30, 14, 2, 15, 101_000_000)
        .atZone(ZoneId.systemDefault()).toInstant().toEpochMilli());
    for (int i = 0; i < keyValues.length; i += 2) {
      event.addKeyValuePair(new KeyValuePair((String) keyValues[i], keyValues[i + 1]));
    }
    return event;
  }

  @Test
  void aRequestIsOneLineOfKeysAndValues() {
    var line = layout.doLayout(event("io.meshyauth.request", Level.INFO, "request", null, "method", "POST",
        "path", "/demo/connect/token", "status", 200, "outcome", "ok", "ms", 61.2, "ip", "127.0.0.1"));

    assertThat(line).isEqualTo("2026-11-30 14:02:15.101 INFO  request method=POST path=/demo/connect/token "
        + "status=200 outcome=ok ms=61.2 ip=127.0.0.1" + System.lineSeparator());
  }

  @Test
  void anAuditLineShowsItsEventOnceAndQuotesWhatNeedsIt() {
    var line = layout.doLayout(event("meshy.audit", Level.INFO, "admin.command", null, "event", "admin.command",
        "command", "users delete", "username", "", "reason", "say \"hi\"=x"));

    assertThat(line).isEqualTo("2026-11-30 14:02:15.101 INFO  admin.command command=\"users delete\" username=\"\" "
        + "reason=\"say \\\"hi\\\"=x\"" + System.lineSeparator());
  }

  @Test
  void nothingAClientSendsCanStartALineOrSteerTheTerminal() {
    var forged = "alice\n2026-11-30 14:02:16.000 INFO  login.succeeded username=admin\r\u001b[2J\u2028\u0085";

    var line = layout.doLayout(event("meshy.audit", Level.INFO, "login.failed", null, "event", "login.failed",
        "username", forged));

    assertThat(line).hasLineCount(1).doesNotContain("\u001b", "\r", "\u2028", "\u0085")
        .endsWith(" login.failed username=\"alice\\n2026-11-30 14:02:16.000 INFO  login.succeeded username=admin"
            + "\\r\\u001b[2J\\u2028\\u0085\"" + System.lineSeparator());
  }

  @Test
  void anotherLibrarysLineNamesItsLoggerAndAnExceptionFollowsOnItsOwnLines() {
    var line = layout.doLayout(event("com.zaxxer.hikari.pool.HikariPool", Level.WARN, "pool failed",
        new IllegalStateException("broken\nline", new RuntimeException("cause"))));

    assertThat(line).startsWith("2026-11-30 14:02:15.101 WARN  [com.zaxxer.hikari.pool.HikariPool] pool failed"
        + System.lineSeparator() + "java.lang.IllegalStateException: broken\\nline" + System.lineSeparator()
        + "\tat io.meshyauth.server.logging.TextLayoutTest.")
        .contains(System.lineSeparator() + "Caused by: java.lang.RuntimeException: cause" + System.lineSeparator());
  }
}
