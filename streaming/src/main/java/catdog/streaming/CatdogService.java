package catdog.streaming;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import catdog.streaming.admin.ModelRegistry;
import catdog.streaming.admin.ServingSlot;
import catdog.streaming.pipeline.ComputePool;
import catdog.streaming.pipeline.PipelineMetrics;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running catdog service: the handle {@link #start(Config)} returns once the model is loaded, Kafka
 * answered and the pipeline runs. {@link #stop()} drains (stop reading, finish in-flight batches, produce,
 * commit) and shuts down; so does SIGTERM, through CoordinatedShutdown's JVM hook.
 */
public final class CatdogService {
  private final ActorSystem<Guardian.Command> system;
  private final ServingSlot slot;
  private final Guardian.Started started;
  private final Settings settings;

  private CatdogService(ActorSystem<Guardian.Command> system, ServingSlot slot, Guardian.Started started, Settings settings) {
    this.system = system;
    this.slot = slot;
    this.started = started;
    this.settings = settings;
  }

  /**
   * Starts the service with {@code config} (application settings over reference.conf) and waits until it
   * serves. Throws {@link IllegalStateException} naming what went wrong when it cannot start.
   */
  public static CatdogService start(Config config) {
    Config resolved = config.withFallback(ConfigFactory.defaultReference()).resolve();
    Settings settings = Settings.fromConfig(resolved);
    Config withDrain = ConfigFactory.parseString("akka.coordinated-shutdown.phases.service-requests-done.timeout = "
        + settings.drainTimeout().toMillis() + "ms").withFallback(resolved);
    ServingSlot slot = new ServingSlot();
    PrometheusRegistry registry = new PrometheusRegistry();
    JvmMetrics.builder().register(registry);
    PipelineMetrics metrics = new PipelineMetrics(registry,
        () -> slot.acquire().map(lease -> {
          try (lease) {
            return lease.info();
          }
        }));
    Guardian.Pools pools = new Guardian.Pools(new ComputePool(settings.compute().threads(), "catdog-compute"),
        Executors.newCachedThreadPool(daemon("catdog-blocking")));
    CompletableFuture<Guardian.Started> started = new CompletableFuture<>();
    ActorSystem<Guardian.Command> system =
        ActorSystem.create(Guardian.create(settings, withDrain, slot, metrics, pools, started), "catdog", withDrain);
    system.getWhenTerminated().whenComplete((done, error) -> {
      pools.compute().close();
      pools.blocking().shutdownNow();
    });
    system.getWhenTerminated().whenComplete((done, error) -> started.completeExceptionally(
        new IllegalStateException("the service stopped before it started")));
    long waitMs = settings.kafka().startupTimeout().toMillis() + TimeUnit.MINUTES.toMillis(2);
    try {
      return new CatdogService(system, slot, started.get(waitMs, TimeUnit.MILLISECONDS), settings);
    } catch (ExecutionException e) {
      system.terminate();
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      system.terminate();
      throw new IllegalStateException("the service did not start within " + waitMs + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      system.terminate();
      throw new IllegalStateException("interrupted while starting", e);
    }
  }

  /** The bound HTTP port (the real one when the configured port was 0). */
  public int httpPort() {
    return started.httpPort();
  }

  /** {@code name@version} of the model serving now; it changes when the admin actor swaps models. */
  public String modelId() {
    return slot.acquire().map(lease -> {
      try (lease) {
        return lease.info().id();
      }
    }).orElse("none");
  }

  public Settings settings() {
    return settings;
  }

  /** The admin actor owning the models, for the admin routes and the CLI. */
  public ActorRef<ModelRegistry.Command> registry() {
    return started.registry();
  }

  public ActorSystem<?> system() {
    return system;
  }

  /** Drains and shuts down; completes when the actor system has terminated. */
  public CompletionStage<Done> stop() {
    return CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason())
        .thenCompose(done -> system.getWhenTerminated());
  }

  /** Completes when the service has stopped, whatever stopped it. */
  public CompletionStage<Done> whenTerminated() {
    return system.getWhenTerminated();
  }

  /** True when the service stopped because its pipeline failed beyond its restarts. */
  public boolean failed() {
    return CoordinatedShutdown.get(system).getShutdownReason().filter(Guardian.PipelineFailed.class::isInstance).isPresent();
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
