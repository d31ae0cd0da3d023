package catdog.streaming;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.http.javadsl.ServerBinding;
import akka.kafka.javadsl.Consumer;
import catdog.streaming.admin.AdminRoutes;
import catdog.streaming.admin.AdminSettings;
import catdog.streaming.admin.ModelRegistry;
import catdog.streaming.admin.ModelsTopicFollower;
import catdog.streaming.admin.ModelSource;
import catdog.streaming.admin.ServingSlot;
import catdog.streaming.http.HttpServer;
import catdog.streaming.http.ServiceRoutes;
import catdog.streaming.inference.InferenceSettings;
import catdog.streaming.inference.ModelInfo;
import catdog.streaming.pipeline.ComputePool;
import catdog.streaming.pipeline.InferencePipeline;
import catdog.streaming.pipeline.PartitionTracker;
import catdog.streaming.pipeline.PipelineMetrics;
import com.typesafe.config.Config;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wires the service: binds HTTP (liveness answers at once), loads the configured model through the
 * registry, checks that Kafka answers, then runs the pipeline and registers its drain with
 * CoordinatedShutdown. A failure before serving fails the start; a pipeline that dies for good while
 * serving (wrong credentials, say) shuts the service down with {@link PipelineFailed}.
 */
public final class Guardian {
  /** Loading a model reads and warms it up; a big model on a busy machine takes seconds, not minutes. */
  private static final Duration MODEL_LOAD_TIMEOUT = Duration.ofMinutes(2);

  public sealed interface Command permits HttpBound, ModelLoaded, KafkaChecked, StartFailed, PipelineEnded {}

  private record HttpBound(ServerBinding binding) implements Command {}

  private record ModelLoaded(ModelInfo model) implements Command {}

  private record KafkaChecked() implements Command {}

  private record StartFailed(String reason, Throwable cause) implements Command {}

  private record PipelineEnded(Optional<Throwable> failure) implements Command {}

  /** What the started service tells its handle. */
  public record Started(int httpPort, ActorRef<ModelRegistry.Command> registry) {}

  /** The reason CoordinatedShutdown gives when the pipeline failed beyond its restarts. */
  public static final class PipelineFailed implements CoordinatedShutdown.Reason {
    static final PipelineFailed INSTANCE = new PipelineFailed();
  }

  private final ActorContext<Command> ctx;
  private final Settings settings;
  private final ServingSlot slot;
  private final PipelineMetrics metrics;
  private final ComputePool compute;
  private final ExecutorService blocking;
  private final CompletableFuture<Started> started;
  private final AdminSettings admin;
  private final ActorRef<ModelRegistry.Command> registry;
  private final PartitionTracker partitions = new PartitionTracker();
  private final AtomicBoolean draining = new AtomicBoolean();

  private Guardian(ActorContext<Command> ctx, Settings settings, Config config, ServingSlot slot, PipelineMetrics metrics,
      Pools pools, CompletableFuture<Started> started) {
    this.ctx = ctx;
    this.settings = settings;
    this.slot = slot;
    this.metrics = metrics;
    this.compute = pools.compute();
    this.blocking = pools.blocking();
    this.started = started;
    this.admin = AdminSettings.fromConfig(config.getConfig("catdog.admin"));
    this.registry = ctx.spawn(ModelRegistry.create(admin, InferenceSettings.fromConfig(config.getConfig("catdog.inference")), slot,
        metrics.registry()), "models");
  }

  /**
   * The threads the service runs on besides Akka's; the service shuts them down after the actor system.
   *
   * @param compute decoding and inference, nothing else, so that their threads never wait on I/O
   * @param blocking Kafka admin calls, metrics scrapes and the like
   */
  public record Pools(ComputePool compute, ExecutorService blocking) {}

  public static Behavior<Command> create(Settings settings, Config config, ServingSlot slot, PipelineMetrics metrics, Pools pools,
      CompletableFuture<Started> started) {
    return Behaviors.setup(ctx -> new Guardian(ctx, settings, config, slot, metrics, pools, started).starting());
  }

  private Behavior<Command> starting() {
    ctx.getLog().info("catdog starting: {}", settings.describe());
    ctx.pipeToSelf(HttpServer.bind(ctx.getSystem(), settings.http().host(), settings.http().port(),
            ServiceRoutes.with(ServiceRoutes.create(this::missing, metrics.registry(), blocking),
                List.of(AdminRoutes.create(registry, ctx.getSystem(), admin)))),
        (binding, error) -> error == null ? new HttpBound(binding)
            : new StartFailed("cannot bind HTTP on " + settings.http().host() + ":" + settings.http().port(), error));
    ctx.askWithStatus(ModelRegistry.ModelSwapped.class, registry, MODEL_LOAD_TIMEOUT,
        replyTo -> new ModelRegistry.LoadModel(new ModelSource.File(settings.modelPath()), replyTo),
        (swapped, error) -> error == null ? new ModelLoaded(swapped.current())
            : new StartFailed("cannot serve model " + settings.modelPath(), error));
    ctx.pipeToSelf(KafkaCheck.run(settings, blocking),
        (ok, error) -> error == null ? new KafkaChecked() : new StartFailed("Kafka is not usable", error));
    return waiting(Optional.empty(), Optional.empty(), false);
  }

  private Behavior<Command> waiting(Optional<ServerBinding> binding, Optional<ModelInfo> model, boolean kafka) {
    if (binding.isPresent() && model.isPresent() && kafka) {
      return serve(binding.get(), model.get());
    }
    return Behaviors.receive(Command.class)
        .onMessage(HttpBound.class, m -> waiting(Optional.of(m.binding()), model, kafka))
        .onMessage(ModelLoaded.class, m -> waiting(binding, Optional.of(m.model()), kafka))
        .onMessage(KafkaChecked.class, m -> waiting(binding, model, true))
        .onMessage(StartFailed.class, this::failStart)
        .build();
  }

  private Behavior<Command> failStart(StartFailed failure) {
    String detail = failure.reason() + ": " + rootMessage(failure.cause());
    ctx.getLog().error("catdog failed to start: {}", detail);
    started.completeExceptionally(new IllegalStateException(detail, failure.cause()));
    return Behaviors.stopped();
  }

  private Behavior<Command> serve(ServerBinding binding, ModelInfo model) {
    InferencePipeline.Resources resources =
        new InferencePipeline.Resources(slot, metrics, partitions, compute.executor(), Clock.systemUTC());
    Consumer.DrainingControl<Done> control = InferencePipeline.create(settings, ctx.getSystem(), resources).run(ctx.getSystem());
    ctx.pipeToSelf(control.streamCompletion(), (done, error) -> new PipelineEnded(Optional.ofNullable(error)));
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(ctx.getSystem());
    shutdown.addTask(CoordinatedShutdown.PhaseServiceRequestsDone(), "catdog-drain", () -> {
      draining.set(true);
      ctx.getSystem().log().info("catdog draining: no new records, finishing in-flight batches and commits");
      return control.drainAndShutdown(blocking).handle((done, error) -> Done.getInstance());
    });
    if (admin.followModelsTopic()) {
      Map<String, Object> clients = new HashMap<>(settings.kafka().consumerProperties());
      clients.put("bootstrap.servers", settings.kafka().bootstrapServers());
      ModelsTopicFollower follower = ModelsTopicFollower.start(clients, settings.topics().models(), registry, ctx.getSystem());
      shutdown.addTask(CoordinatedShutdown.PhaseServiceStop(), "catdog-models-topic-stop",
          () -> CompletableFuture.supplyAsync(() -> {
            follower.close();
            return Done.getInstance();
          }, blocking));
    }
    shutdown.addTask(CoordinatedShutdown.PhaseServiceStop(), "catdog-http-stop",
        () -> binding.terminate(Duration.ofSeconds(2)).thenApply(terminated -> Done.getInstance()));
    int port = binding.localAddress().getPort();
    ctx.getLog().info("catdog serving model {} ({}) from {} on http://{}:{}, delivery {}", model.id(),
        model.preprocessing().shortForm(), settings.topics().images(), settings.http().host(), port, settings.delivery().mode());
    started.complete(new Started(port, registry));
    return Behaviors.receive(Command.class)
        .onMessage(PipelineEnded.class, this::pipelineEnded)
        .build();
  }

  private Behavior<Command> pipelineEnded(PipelineEnded ended) {
    if (draining.get()) {
      return Behaviors.same();
    }
    ctx.getLog().error("catdog pipeline stopped for good: {}", ended.failure().map(Guardian::rootMessage).orElse("the source completed"));
    CoordinatedShutdown.get(ctx.getSystem()).runAll(PipelineFailed.INSTANCE);
    return Behaviors.same();
  }

  /** Readiness: a model is loaded, partitions are assigned, and the service is not draining. */
  private List<String> missing() {
    List<String> missing = new ArrayList<>(3);
    if (slot.acquire().map(lease -> {
      lease.close();
      return false;
    }).orElse(true)) {
      missing.add("no model loaded");
    }
    if (!partitions.hasAssignment()) {
      missing.add("no input partitions assigned");
    }
    if (draining.get()) {
      missing.add("draining");
    }
    return missing;
  }

  static String rootMessage(Throwable error) {
    Throwable t = error;
    StringBuilder sb = new StringBuilder();
    while (t != null) {
      if (t.getMessage() != null && !sb.toString().contains(t.getMessage())) {
        sb.append(sb.length() == 0 ? "" : ": ").append(t.getMessage());
      }
      t = t.getCause() == t ? null : t.getCause();
    }
    return sb.length() == 0 ? String.valueOf(error) : sb.toString();
  }
}
