package io.meshyauth.server.metrics;

import io.meshyauth.server.events.SecurityEvents;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The meters of one server, in Prometheus' registry: the JVM's and the process's (Micrometer's binders), and
 * whatever the server's parts register. {@link #securityEvents()} counts the security events.
 *
 * <p>The JVM's and the process's meters are bound on a thread of their own, beside the server's start: they read
 * a dozen platform MXBeans and the container's limits, a tenth of a second of a start that the first token need
 * not wait for. A scrape waits for them, so no scrape lacks them.
 */
public final class ServerMetrics implements AutoCloseable {
  /** Prometheus text exposition format 0.0.4, which every Prometheus scrapes. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final SecurityMetrics security;
  /** The GC meters, which listen to the collectors until closed; completes once every JVM binder is bound. */
  private final CompletableFuture<JvmGcMetrics> jvm;

  public ServerMetrics() {
    security = new SecurityMetrics(registry);
    jvm = CompletableFuture.supplyAsync(this::bindJvmMeters, runnable -> {
      var thread = new Thread(runnable, "meshy-auth-jvm-metrics");
      thread.setDaemon(true);
      thread.start();
    });
  }

  private JvmGcMetrics bindJvmMeters() {
    var gc = new JvmGcMetrics();
    List.<MeterBinder>of(new JvmMemoryMetrics(), gc, new JvmThreadMetrics(), new ClassLoaderMetrics(),
        new JvmInfoMetrics(), new ProcessorMetrics(), new UptimeMetrics(), new FileDescriptorMetrics())
        .forEach(binder -> binder.bindTo(registry));
    return gc;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The listener that counts security events. */
  public SecurityEvents securityEvents() {
    return security;
  }

  /** Every meter now, in {@link #CONTENT_TYPE}: the JVM's included, once they are bound. */
  public String scrape() {
    jvm.join();
    return registry.scrape();
  }

  @Override
  public void close() {
    // a binder that failed has nothing to stop listening
    var gc = jvm.exceptionally(failure -> null).join();
    if (gc != null) {
      gc.close();
    }
    registry.close();
  }
}
