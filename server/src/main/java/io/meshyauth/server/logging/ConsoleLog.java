package io.meshyauth.server.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The console appender of {@link ConsoleLogConfigurator}, in the format asked for. */
public final class ConsoleLog {
  /** Ours alone: a logback file of the operator's own is left as it is. */
  static final String APPENDER = "meshy-console";

  private ConsoleLog() {
  }

  /**
   * Writes the console's lines in {@code format} from now on. Does nothing when the logging was configured
   * otherwise ({@code -Dlogback.configurationFile}): then that file says how lines look.
   */
  public static void use(LogFormat format) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    var root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    if (!(root.getAppender(APPENDER) instanceof ConsoleAppender<ILoggingEvent> current)) {
      return;
    }
    var resolved = format.resolve();
    if ((current.getEncoder() instanceof JsonEncoder) == (resolved == LogFormat.JSON)) {
      return;
    }
    // the new one first, so that no line is lost in between
    root.addAppender(appender(context, current.getTarget(), resolved));
    root.detachAppender(current);
    current.stop();
  }

  static ConsoleAppender<ILoggingEvent> appender(LoggerContext context, String target, LogFormat format) {
    var appender = new ConsoleAppender<ILoggingEvent>();
    appender.setContext(context);
    appender.setName(APPENDER);
    appender.setTarget(target);
    appender.setEncoder(encoder(context, format.resolve()));
    appender.start();
    return appender;
  }

  private static Encoder<ILoggingEvent> encoder(LoggerContext context, LogFormat format) {
    if (format == LogFormat.TEXT) {
      var layout = new TextLayout();
      layout.setContext(context);
      layout.start();
      var encoder = new LayoutWrappingEncoder<ILoggingEvent>();
      encoder.setContext(context);
      encoder.setLayout(layout);
      encoder.setCharset(StandardCharsets.UTF_8);
      encoder.start();
      return encoder;
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
    return encoder;
  }
}
