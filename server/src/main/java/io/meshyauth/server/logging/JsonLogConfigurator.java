package io.meshyauth.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * The server's logging: one JSON object a line, on stdout for {@code serve} and on stderr at WARN for the
 * admin commands (system properties {@value #TARGET} and {@value #LEVEL}), Jetty and Javalin at WARN, HikariCP's
 * warnings about each broken connection off. Set up
 * in code, which spares every start of the jar an XML parser; {@code -Dlogback.configurationFile=FILE} (and a
 * {@code logback-test.xml} in tests) still take over, as logback's own configuration steps come next.
 */
public final class JsonLogConfigurator extends ContextAwareBase implements Configurator {
  public static final String TARGET = "meshy-auth.log.target";
  public static final String LEVEL = "meshy-auth.log.level";
  /** HikariCP's loggers of broken and stale connections, one line each. */
  static final java.util.List<String> HIKARI_PER_CONNECTION_WARNINGS = java.util.List.of(
      "com.zaxxer.hikari.pool.ProxyConnection", "com.zaxxer.hikari.pool.PoolBase");

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null
        || JsonLogConfigurator.class.getClassLoader().getResource("logback-test.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    var encoder = new JsonEncoder();
    encoder.setContext(context);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.setWithContext(false);
    encoder.setWithFormattedMessage(true);
    encoder.setWithMessage(false);
    encoder.setWithArguments(false);
    encoder.start();
    var appender = new ConsoleAppender<ILoggingEvent>();
    appender.setContext(context);
    appender.setName("json");
    appender.setTarget(System.getProperty(TARGET, "System.out"));
    appender.setEncoder(encoder);
    appender.start();
    var root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(System.getProperty(LEVEL), Level.INFO));
    root.addAppender(appender);
    context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
    context.getLogger("io.javalin").setLevel(Level.WARN);
    // HikariCP warns, with a stack trace, of every pooled connection a database outage breaks; the store says
    // once that it is unreachable and once that it is back (Availability)
    for (var pool : HIKARI_PER_CONNECTION_WARNINGS) {
      context.getLogger(pool).setLevel(Level.ERROR);
    }
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
