package io.meshyauth.server.web;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection whose request does not arrive whole (request line, headers and body) within the timeout of
 * its first byte; a connection's first request counts from the moment it was accepted, so a trickled TLS handshake
 * is cut too. Jetty's idle timeout starts again with every byte, so a client sending one byte at a time (slowloris)
 * would otherwise hold a connection for as long as it likes. Time the server itself takes, once the request is in,
 * does not count. Added to a connector as a bean, it sees every connection the connector opens.
 */
public final class RequestDeadline extends AbstractLifeCycle implements Connection.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(RequestDeadline.class);

  private final long timeoutNanos;
  private final long periodMillis;
  private final Scheduler scheduler;
  private final Map<HttpConnection, Long> openedAt = new ConcurrentHashMap<>();
  private volatile Scheduler.Task sweep;

  public RequestDeadline(Duration timeout, Scheduler scheduler) {
    this.timeoutNanos = timeout.toNanos();
    // a connection is cut at most a tenth of the timeout (and never more than a second) late
    this.periodMillis = Math.max(50, Math.min(1_000, timeout.toMillis() / 10));
    this.scheduler = scheduler;
  }

  @Override
  public void onOpened(Connection connection) {
    if (connection instanceof HttpConnection http) {
      openedAt.put(http, NanoTime.now());
    }
  }

  @Override
  public void onClosed(Connection connection) {
    openedAt.remove(connection);
  }

  @Override
  protected void doStart() {
    schedule();
  }

  @Override
  protected void doStop() {
    var task = sweep;
    if (task != null) {
      task.cancel();
    }
    openedAt.clear();
  }

  private void schedule() {
    if (isRunning() || isStarting()) {
      sweep = scheduler.schedule(this::sweep, periodMillis, TimeUnit.MILLISECONDS);
    }
  }

  private void sweep() {
    try {
      openedAt.forEach((connection, opened) -> {
        var since = receivingSince(connection, opened);
        if (since != 0 && NanoTime.since(since) > timeoutNanos) {
          LOG.atInfo().addKeyValue("remote", connection.getEndPoint().getRemoteSocketAddress())
              .log("closed a connection whose request did not arrive within the request timeout");
          openedAt.remove(connection);
          connection.getEndPoint().close();
        }
      });
    } finally {
      schedule();
    }
  }

  /** When the request now arriving on the connection began, or 0 when none is arriving. */
  private static long receivingSince(HttpConnection connection, long opened) {
    var parser = connection.getParser();
    var state = parser.getState();
    if (state == HttpParser.State.START) {
      // between requests a kept-alive connection is idle, which the idle timeout governs
      return connection.getMessagesIn() == 0 ? opened : 0;
    }
    if (parser.isComplete()) {
      return 0;
    }
    var begin = parser.getBeginNanoTime();
    return begin != 0 ? begin : opened;
  }
}
