package catdog.streaming.http;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.completeWithFuture;
import static akka.http.javadsl.server.Directives.concat;
import static akka.http.javadsl.server.Directives.get;
import static akka.http.javadsl.server.Directives.path;
import static akka.http.javadsl.server.PathMatchers.segment;

import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The service's own routes: {@code /health/live}, {@code /health/ready} and {@code /metrics}. Other
 * capabilities (the admin routes) are concatenated after these by whoever starts the server.
 */
public final class ServiceRoutes {
  private static final ContentType PROMETHEUS_TEXT = ContentTypes.parse(PrometheusTextFormatWriter.CONTENT_TYPE);

  private ServiceRoutes() {}

  /**
   * @param scrapePool where a scrape runs: collecting the consumer lag waits on the Kafka consumer, which
   *     must not block an HTTP dispatcher thread
   */
  public static Route create(Readiness readiness, PrometheusRegistry registry, Executor scrapePool) {
    return concat(
        path(segment("health").slash("live"), () -> get(() -> complete("live"))),
        path(segment("health").slash("ready"), () -> get(() -> ready(readiness))),
        path("metrics", () -> get(() -> completeWithFuture(CompletableFuture.supplyAsync(() -> scrape(registry), scrapePool)))));
  }

  /** These routes followed by {@code others}, tried in order. */
  public static Route with(Route service, List<Route> others) {
    Route route = service;
    for (Route other : others) {
      route = concat(route, other);
    }
    return route;
  }

  private static Route ready(Readiness readiness) {
    List<String> missing = readiness.missing();
    if (missing.isEmpty()) {
      return complete("ready");
    }
    return complete(StatusCodes.SERVICE_UNAVAILABLE, "not ready: " + String.join("; ", missing));
  }

  private static HttpResponse scrape(PrometheusRegistry registry) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write metrics", e);
    }
    return HttpResponse.create().withEntity(HttpEntities.create(PROMETHEUS_TEXT, out.toByteArray()));
  }
}
