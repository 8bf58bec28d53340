package chat.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;

/**
 * The operations endpoint on {@code http.port}: {@code /metrics} (Prometheus text), {@code /health/live} (the event
 * loop answers) and {@code /health/ready} (see {@link Readiness}); 200 when up, 503 when down.
 */
public final class OpsVerticle extends VerticleBase {

  private final int port;
  private final MeterRegistry registry;
  private final Readiness readiness;
  private HttpServer server;

  /** {@code /metrics} is served when {@code registry} is a Prometheus one (always, except in some tests). */
  public OpsVerticle(int port, MeterRegistry registry, Readiness readiness) {
    this.port = port;
    this.registry = registry;
    this.readiness = readiness;
  }

  @Override
  public Future<?> start() {
    HealthChecks ready = HealthChecks.create(vertx).register("chat", promise -> {
      String why = readiness.why();
      promise.complete(why == null ? Status.OK() : Status.KO(new JsonObject().put("reason", why)));
    });
    HealthChecks live = HealthChecks.create(vertx).register("event-loop", promise -> promise.complete(Status.OK()));
    Router router = Router.router(vertx);
    if (registry instanceof PrometheusMeterRegistry prometheus) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create(prometheus));
    }
    router.get("/health/live").handler(HealthCheckHandler.createWithHealthChecks(live));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(ready));
    // Plain HTTP/1.1, as Prometheus and the kubelet speak it; an h2c upgrade request is answered in HTTP/1.1.
    server = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false)).requestHandler(router);
    return server.listen(port);
  }

  /** The port actually bound, useful when configured as 0. */
  public int actualPort() {
    return server.actualPort();
  }
}
