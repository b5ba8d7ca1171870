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

/**
 * The meters of one server, in Prometheus' registry: the JVM's and the process's (Micrometer's binders), and
 * whatever the server's parts register. {@link #securityEvents()} counts the security events.
 */
public final class ServerMetrics implements AutoCloseable {
  /** Prometheus text exposition format 0.0.4, which every Prometheus scrapes. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final SecurityMetrics security;

  public ServerMetrics() {
    List.<MeterBinder>of(new JvmMemoryMetrics(), gc, new JvmThreadMetrics(), new ClassLoaderMetrics(),
        new JvmInfoMetrics(), new ProcessorMetrics(), new UptimeMetrics(), new FileDescriptorMetrics())
        .forEach(binder -> binder.bindTo(registry));
    security = new SecurityMetrics(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The listener that counts security events. */
  public SecurityEvents securityEvents() {
    return security;
  }

  /** Every meter now, in {@link #CONTENT_TYPE}. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
