package io.meshyauth.server.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * One line per event for a person at a terminal: local time, level, message, then the key-value pairs as
 * {@code key=value}, e.g. {@code 2026-11-30 14:02:15.101 INFO  request method=POST path=/demo/connect/token
 * status=200 outcome=ok ms=61.2 ip=127.0.0.1}. Lines of other libraries name their logger in brackets; an audit
 * line's {@code event} is its message, so it is not repeated.
 *
 * <p>Values come from clients too (a username as typed), so nothing they send can start a line of its own or
 * steer the terminal: control characters are written as escapes ({@code \n}, {@code \u001b}), and a value with a
 * space, a quote or an equals sign is quoted.
 */
final class TextLayout extends LayoutBase<ILoggingEvent> {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
      .withZone(ZoneId.systemDefault());

  @Override
  public String doLayout(ILoggingEvent event) {
    var line = new StringBuilder(160);
    TIME.formatTo(Instant.ofEpochMilli(event.getTimeStamp()), line);
    line.append(' ').append(String.format("%-5s", event.getLevel())).append(' ');
    var logger = event.getLoggerName();
    if (!logger.startsWith("io.meshyauth.") && !logger.startsWith("meshy.")) {
      line.append('[').append(logger).append("] ");
    }
    var message = event.getFormattedMessage();
    escape(message == null ? "" : message, line);
    if (event.getKeyValuePairs() != null) {
      for (var pair : event.getKeyValuePairs()) {
        var value = String.valueOf(pair.value);
        if ("event".equals(pair.key) && value.equals(message)) {
          continue;
        }
        line.append(' ');
        escape(pair.key, line);
        line.append('=');
        value(value, line);
      }
    }
    line.append(CoreConstants.LINE_SEPARATOR);
    for (var cause = event.getThrowableProxy(); cause != null; cause = cause.getCause()) {
      throwable(cause, cause == event.getThrowableProxy() ? "" : "Caused by: ", line);
    }
    return line.toString();
  }

  /** The exception's class and message on one line, its frames (code locations, nothing a client sent) below. */
  private static void throwable(IThrowableProxy proxy, String prefix, StringBuilder line) {
    line.append(prefix);
    escape(proxy.getClassName() + (proxy.getMessage() == null ? "" : ": " + proxy.getMessage()), line);
    line.append(CoreConstants.LINE_SEPARATOR);
    var frames = proxy.getStackTraceElementProxyArray();
    for (int i = 0; i < frames.length - proxy.getCommonFrames(); i++) {
      line.append('\t').append(frames[i].getSTEAsString()).append(CoreConstants.LINE_SEPARATOR);
    }
    if (proxy.getCommonFrames() > 0) {
      line.append("\t... ").append(proxy.getCommonFrames()).append(" more").append(CoreConstants.LINE_SEPARATOR);
    }
  }

  private static void value(String value, StringBuilder line) {
    boolean quote = value.isEmpty() || value.chars().anyMatch(c -> c == ' ' || c == '"' || c == '=');
    if (!quote) {
      escape(value, line);
      return;
    }
    line.append('"');
    escape(value.replace("\\", "\\\\").replace("\"", "\\\""), line);
    line.append('"');
  }

  /** Control characters (C0, DEL, C1) and the Unicode line and paragraph separators as escapes. */
  static void escape(String text, StringBuilder line) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> line.append("\\n");
        case '\r' -> line.append("\\r");
        case '\t' -> line.append("\\t");
        default -> {
          if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
            line.append(String.format("\\u%04x", (int) c));
          } else {
            line.append(c);
          }
        }
      }
    }
  }
}
