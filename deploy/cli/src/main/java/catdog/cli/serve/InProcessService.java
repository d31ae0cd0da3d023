package catdog.cli.serve;

import catdog.streaming.CatdogService;
import com.typesafe.config.Config;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * The streaming service running inside the launcher's JVM, for the demo, the load test and the benchmark.
 * {@link #close()} drains it (finishes in-flight batches, commits) and waits for the stop.
 */
public final class InProcessService implements AutoCloseable {
  private final CatdogService service;
  private final long stopSeconds;

  private InProcessService(CatdogService service, long stopSeconds) {
    this.service = service;
    this.stopSeconds = stopSeconds;
  }

  public static InProcessService start(Config config) {
    long stopSeconds = config.getDuration("catdog.shutdown.drain-timeout").toSeconds() + 30;
    return new InProcessService(CatdogService.start(config), stopSeconds);
  }

  /** The serving model as name@version. */
  public String modelId() {
    return service.modelId();
  }

  public int httpPort() {
    return service.httpPort();
  }

  /**
   * Waits until the service's own /health/ready says yes, which includes having input partitions assigned:
   * events published before that would wait for the group to form, and their latency would show it.
   */
  public void awaitReady(Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + "/health/ready"))
        .timeout(Duration.ofSeconds(2)).GET().build();
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
        last = response.body();
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the service", e);
      }
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    }
    throw new IllegalStateException("the service was not ready within " + timeout + ": " + last);
  }

  @Override
  public void close() {
    try {
      service.stop().toCompletableFuture().get(stopSeconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping the service", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the service did not stop cleanly within " + stopSeconds + " s", e);
    }
  }
}
