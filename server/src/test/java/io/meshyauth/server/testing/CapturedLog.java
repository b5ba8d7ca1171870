package io.meshyauth.server.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * What the named loggers (and those below them) log from {@link #of} until {@link #close}, at {@code level} and
 * above; their level is set for the time and put back after.
 */
public final class CapturedLog implements AutoCloseable {
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Map<Logger, Level> levels = new LinkedHashMap<>();

  private CapturedLog(Level level, List<String> names) {
    var context = (LoggerContext) LoggerFactory.getILoggerFactory();
    appender.setContext(context);
    appender.start();
    for (var name : names) {
      var logger = context.getLogger(name);
      levels.put(logger, logger.getLevel());
      logger.setLevel(level);
      logger.addAppender(appender);
    }
  }

  public static CapturedLog of(Level level, String... loggers) {
    return new CapturedLog(level, List.of(loggers));
  }

  /** The events so far, in order (the appender appends under its own lock, from any thread). */
  public List<ILoggingEvent> events() {
    synchronized (appender) {
      return new ArrayList<>(appender.list);
    }
  }

  @Override
  public void close() {
    levels.forEach((logger, level) -> {
      logger.detachAppender(appender);
      logger.setLevel(level);
    });
    appender.stop();
  }
}
