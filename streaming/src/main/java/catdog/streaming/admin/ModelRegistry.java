package catdog.streaming.admin;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.pattern.StatusReply;
import catdog.streaming.inference.InferenceSettings;
import catdog.streaming.inference.ModelInfo;
import catdog.streaming.inference.OnnxModel.LoadResult;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The admin actor: the only owner of ONNX sessions. It loads a model off the actor (load → check the
 * graph against its metadata → fit the serving contract → warm up), publishes it to the {@link ServingSlot}
 * in one reference write, keeps the model it replaced as {@code previous} for {@link Rollback}, and retires
 * the one before that; a retired session closes when its last lease is released.
 *
 * <p>Concurrent swaps: while one model is loading, a second {@link LoadModel} is refused with a clear
 * reason (the caller retries). Loading a model whose {@code name@version} is already serving succeeds
 * without a swap, so replaying the models topic at start is harmless. A refused model never disturbs the
 * one serving.
 */
public final class ModelRegistry {

  public sealed interface Command permits LoadModel, Rollback, GetStatus, LoadFinished {}

  /** Load, check, warm up and swap to the model at {@code source}. */
  public record LoadModel(ModelSource source, ActorRef<StatusReply<ModelSwapped>> replyTo) implements Command {}

  /** Serve the previous model again; the current one becomes the previous. */
  public record Rollback(ActorRef<StatusReply<ModelSwapped>> replyTo) implements Command {}

  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  private record LoadFinished(LoadResult result, LoadModel request) implements Command {}

  private record Pair(ModelHandle current, ModelHandle previous) {}

  /** The reply to a successful load or rollback: what serves now, and what a rollback would restore. */
  public record ModelSwapped(ModelInfo current, Optional<ModelInfo> previous) {}

  /**
   * @param loading the source being loaded, if any
   * @param openSessions sessions this registry holds open, including retired ones still leased
   */
  public record Status(Optional<ModelInfo> current, Optional<ModelInfo> previous, Optional<String> loading, int openSessions) {}

  private final ActorContext<Command> ctx;
  private final InferenceSettings settings;
  private final ServingSlot slot;
  private final Executor blocking;
  private final AtomicInteger openSessions = new AtomicInteger();

  private ModelRegistry(ActorContext<Command> ctx, InferenceSettings settings, ServingSlot slot) {
    this.ctx = ctx;
    this.settings = settings;
    this.slot = slot;
    this.blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
  }

  /** The registry's behavior; the pipeline reads the models it publishes from {@code slot}. */
  public static Behavior<Command> create(InferenceSettings settings, ServingSlot slot) {
    return Behaviors.setup(ctx -> new ModelRegistry(ctx, settings, slot).idle());
  }

  private Behavior<Command> idle() {
    return Behaviors.receive(Command.class)
        .onMessage(LoadModel.class, load -> startLoading(Optional.empty(), Optional.empty(), load))
        .onMessage(Rollback.class, r -> {
          r.replyTo().tell(StatusReply.error("no model has been loaded, so there is nothing to roll back to"));
          return Behaviors.same();
        })
        .onMessage(GetStatus.class, g -> status(g, Optional.empty(), Optional.empty(), Optional.empty()))
        .build();
  }

  private Behavior<Command> serving(ModelHandle current, Optional<ModelHandle> previous) {
    return Behaviors.receive(Command.class)
        .onMessage(LoadModel.class, load -> startLoading(Optional.of(current), previous, load))
        .onMessage(Rollback.class, r -> rollback(r, current, previous).map(next -> serving(next.current(), Optional.of(next.previous())))
            .orElseGet(Behaviors::same))
        .onMessage(GetStatus.class, g -> status(g, Optional.of(current), previous, Optional.empty()))
        .onSignal(PostStop.class, s -> stopped(Optional.of(current), previous))
        .build();
  }

  private Behavior<Command> loading(Optional<ModelHandle> current, Optional<ModelHandle> previous, LoadModel request,
      CompletionStage<LoadResult> pending) {
    return Behaviors.receive(Command.class)
        .onMessage(LoadModel.class, load -> {
          load.replyTo().tell(StatusReply.error("refused " + load.source() + ": " + request.source()
              + " is still loading; one swap at a time, retry when it has finished"));
          return Behaviors.same();
        })
        .onMessage(Rollback.class, r -> current.flatMap(c -> rollback(r, c, previous))
            .map(next -> loading(Optional.of(next.current()), Optional.of(next.previous()), request, pending))
            .orElseGet(() -> {
              if (current.isEmpty()) {
                r.replyTo().tell(StatusReply.error("no model has been loaded, so there is nothing to roll back to"));
              }
              return Behaviors.same();
            }))
        .onMessage(GetStatus.class, g -> status(g, current, previous, Optional.of(request.source().toString())))
        .onMessage(LoadFinished.class, f -> finish(f, current, previous))
        .onSignal(PostStop.class, s -> {
          pending.thenAccept(r -> {
            if (r instanceof LoadResult.Loaded l) {
              l.model().close();
            }
          });
          return stopped(current, previous);
        })
        .build();
  }

  private Behavior<Command> startLoading(Optional<ModelHandle> current, Optional<ModelHandle> previous, LoadModel request) {
    ctx.getLog().info("Loading model from {} (serving {})", request.source(), current.map(Object::toString).orElse("nothing"));
    CompletableFuture<LoadResult> pending = CompletableFuture.supplyAsync(() -> ModelLoader.load(request.source(), settings), blocking);
    ctx.pipeToSelf(pending, (result, error) -> new LoadFinished(
        error == null ? result : new LoadResult.Refused("loading failed unexpectedly: " + error), request));
    return loading(current, previous, request, pending);
  }

  private Behavior<Command> finish(LoadFinished f, Optional<ModelHandle> current, Optional<ModelHandle> previous) {
    ActorRef<StatusReply<ModelSwapped>> replyTo = f.request().replyTo();
    if (f.result() instanceof LoadResult.Refused refused) {
      return refuse(f.request(), refused.reason(), current, previous);
    }
    var model = ((LoadResult.Loaded) f.result()).model();
    if (current.isPresent() && current.get().info().id().equals(model.info().id())) {
      model.close();
      ctx.getLog().info("Model {} from {} is already serving; nothing to swap", model.info().id(), f.request().source());
      replyTo.tell(StatusReply.success(new ModelSwapped(current.get().info(), previous.map(ModelHandle::info))));
      return serving(current.get(), previous);
    }
    Optional<String> misfit = current.flatMap(c -> ModelLoader.misfit(model.info(), c.info()));
    if (misfit.isPresent()) {
      model.close();
      return refuse(f.request(), misfit.get(), current, previous);
    }
    openSessions.incrementAndGet();
    ModelHandle next = new ModelHandle(model, openSessions::decrementAndGet);
    slot.publish(next);
    previous.ifPresent(ModelHandle::retire);
    ctx.getLog().info("Swapped to model {} on {} (previous {}, from {})", next, model.provider(),
        current.map(Object::toString).orElse("none"), f.request().source());
    replyTo.tell(StatusReply.success(new ModelSwapped(next.info(), current.map(ModelHandle::info))));
    return serving(next, current);
  }

  private Behavior<Command> refuse(LoadModel request, String reason, Optional<ModelHandle> current, Optional<ModelHandle> previous) {
    ctx.getLog().warn("Refused model from {}: {}; still serving {}", request.source(), reason, current.map(Object::toString).orElse("nothing"));
    request.replyTo().tell(StatusReply.error("refused " + request.source() + ": " + reason));
    return current.map(c -> serving(c, previous)).orElseGet(this::idle);
  }

  /** Swaps current and previous; returns {new current, new previous}, or empty after replying why not. */
  private Optional<Pair> rollback(Rollback r, ModelHandle current, Optional<ModelHandle> previous) {
    if (previous.isEmpty()) {
      r.replyTo().tell(StatusReply.error("no previous model to roll back to; serving " + current));
      return Optional.empty();
    }
    ModelHandle restored = previous.get();
    slot.publish(restored);
    ctx.getLog().info("Rolled back from model {} to {}", current, restored);
    r.replyTo().tell(StatusReply.success(new ModelSwapped(restored.info(), Optional.of(current.info()))));
    return Optional.of(new Pair(restored, current));
  }

  private Behavior<Command> status(GetStatus g, Optional<ModelHandle> current, Optional<ModelHandle> previous, Optional<String> loading) {
    g.replyTo().tell(new Status(current.map(ModelHandle::info), previous.map(ModelHandle::info), loading, openSessions.get()));
    return Behaviors.same();
  }

  /** Unpublishes, then drops the registry's references; leased sessions close when their batches finish. */
  private Behavior<Command> stopped(Optional<ModelHandle> current, Optional<ModelHandle> previous) {
    slot.clear();
    current.ifPresent(ModelHandle::retire);
    previous.ifPresent(ModelHandle::retire);
    return Behaviors.same();
  }
}
