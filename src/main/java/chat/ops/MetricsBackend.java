package chat.ops;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.util.EnumSet;
import java.util.UUID;

/**
 * One Prometheus registry per Vert.x instance, holding Vert.x (net, event bus, HTTP, pools), JVM and chat meters.
 *
 * <p>Build Vert.x through {@link #builder}: {@code backend.builder(options).build()}, or
 * {@code .withClusterManager(...).buildClustered()} when clustered.
 */
public final class MetricsBackend {

  /**
   * Labels Vert.x may put on its meters: all bounded. Left out on purpose: remote and local addresses (one series per
   * client), event-bus addresses (one per verticle instance), HTTP paths.
   */
  private static final EnumSet<Label> BOUNDED_LABELS =
      EnumSet.of(Label.EB_SIDE, Label.EB_FAILURE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.POOL_TYPE, Label.POOL_NAME);

  private final PrometheusMeterRegistry registry;

  public MetricsBackend() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Micrometer defaults whose Prometheus names `promtool check metrics` rejects: an abbreviated unit in the name
    // (process_cpu_usage and jvm_gc_* cover the same ground) or a "_count" suffix on a gauge.
    registry.config()
        .meterFilter(MeterFilter.denyNameStartsWith("jvm.compilation.time"))
        .meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"))
        .meterFilter(new MeterFilter() {
          @Override
          public Meter.Id map(Meter.Id id) {
            return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
          }
        });
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** A Vert.x builder that reports into {@link #registry()}. */
  public VertxBuilder builder(VertxOptions options) {
    // The registry name keys a JVM-wide map in Vert.x: unique, so that several servers in one JVM (tests) stay apart.
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setRegistryName("chat-" + UUID.randomUUID())
        .setJvmMetricsEnabled(true)
        .setLabels(BOUNDED_LABELS)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
    return Vertx.builder()
        .with(new VertxOptions(options).setMetricsOptions(metrics))
        .withMetrics(new MicrometerMetricsFactory(registry));
  }
}
