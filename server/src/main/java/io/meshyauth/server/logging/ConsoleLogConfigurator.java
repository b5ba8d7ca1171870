package io.meshyauth.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;
import io.meshyauth.server.events.AuditLog;
import java.util.List;
import org.slf4j.Logger;

/**
 * The server's logging: one line per event on stdout for {@code serve} and on stderr for the admin commands
 * (system properties {@value #TARGET} and {@value #LEVEL}: from WARN up there, and the audit lines), text on a
 * terminal and JSON lines otherwise until the settings say otherwise ({@link ConsoleLog#use}); Jetty and Javalin
 * at WARN. Set up in code, which spares every start of the jar an XML parser; {@code
 * -Dlogback.configurationFile=FILE} (and a {@code logback-test.xml} in tests) still take over, as logback's own
 * configuration steps come next.
 */
public final class ConsoleLogConfigurator extends ContextAwareBase implements Configurator {
  public static final String TARGET = "meshy-auth.log.target";
  public static final String LEVEL = "meshy-auth.log.level";

  /** HikariCP's loggers of broken and stale connections, one line each. */
  static final List<String> HIKARI_PER_CONNECTION_WARNINGS = List.of(
      "com.zaxxer.hikari.pool.ProxyConnection", "com.zaxxer.hikari.pool.PoolBase");

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null
        || ConsoleLogConfigurator.class.getClassLoader().getResource("logback-test.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    var root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(System.getProperty(LEVEL), Level.INFO));
    root.addAppender(ConsoleLog.appender(context, System.getProperty(TARGET, "System.out"), LogFormat.AUTO));
    // what operators must see whatever the level: an admin command's audit line too
    context.getLogger(AuditLog.LOGGER).setLevel(Level.INFO);
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
