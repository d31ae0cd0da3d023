package catdog.streaming.admin;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.pattern.StatusReply;
import catdog.streaming.inference.InferenceSettings;
import catdog.streaming.inference.ModelInfo;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Optional;

/**
 * The admin actor: the only owner of ONNX sessions. A swap loads the model off the actor (load → check the
 * graph against its metadata → warm up → gates → fit the serving contract), publishes it to the {@link
 * ServingSlot} in one reference write, keeps the model it replaced as {@code previous} for {@link Rollback},
 * and retires the one before; a retired session closes when its last lease is released.
 *
 * <p>Concurrent swaps: while a model is loading, a second {@link LoadModel} or {@link StartTrial} is
 * refused with a clear reason (the caller retries). Loading the {@code name@version} already serving
 * succeeds without a swap, so replaying the models topic at start is harmless. A refused model never
 * disturbs the one serving. A model swapped in over another is on probation for its first batches and is
 * rolled back automatically if it fails them (see {@link AdminSettings.Probation}).
 */
public final class ModelRegistry {

  public sealed interface Command permits LoadModel, Rollback, StartTrial, Promote, AbortTrial, GetStatus, Transitions.LoadFinished,
      Transitions.ProbationEnded {}

  /** What starts a load: a swap or a trial. */
  sealed interface LoadRequest permits LoadModel, StartTrial {
    ModelSource source();
  }

  /** Load, check, warm up, gate and swap to the model at {@code source}. */
  public record LoadModel(ModelSource source, ActorRef<StatusReply<ModelSwapped>> replyTo) implements Command, LoadRequest {}

  /** Serve the previous model again; the current one becomes the previous. */
  public record Rollback(ActorRef<StatusReply<ModelSwapped>> replyTo) implements Command {}

  /**
   * Load a candidate and try it next to the serving model: a canary scores {@code percent} % of records
   * (by key hash); a shadow scores a copy of all of them ({@code percent} is ignored).
   */
  public record StartTrial(ModelSource source, TrialMode mode, double percent, ActorRef<StatusReply<Status>> replyTo)
      implements Command, LoadRequest {}

  /** Make the candidate on trial the serving model; the serving one becomes the previous. */
  public record Promote(ActorRef<StatusReply<ModelSwapped>> replyTo) implements Command {}

  /** End the trial and close the candidate; the serving model is untouched. */
  public record AbortTrial(ActorRef<StatusReply<Status>> replyTo) implements Command {}

  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  /** The reply to a swap, rollback or promotion: what serves now, and what a rollback would restore. */
  public record ModelSwapped(ModelInfo current, Optional<ModelInfo> previous) {}

  /**
   * @param loading the source being loaded, if any
   * @param openSessions sessions this registry holds open, including retired ones still leased
   * @param notice the latest refusal, probation verdict or automatic rollback
   */
  public record Status(Optional<ModelView> current, Optional<ModelView> previous, Optional<TrialView> trial, Optional<String> loading,
      int openSessions, Optional<String> notice) {}

  /** A loaded model as operators see it. */
  public record ModelView(ModelInfo info, String provider, Optional<Double> goldenAccuracy, double warmUpP99Millis, int leases,
      boolean onProbation) {}

  /** A candidate on trial; the agreement rate is a shadow's share of records whose top class matched (NaN before any). */
  public record TrialView(ModelView model, TrialMode mode, double percent, long compared, double agreementRate) {}

  private final ActorContext<Command> ctx;
  private final Transitions transitions;

  private ModelRegistry(ActorContext<Command> ctx, Transitions transitions) {
    this.ctx = ctx;
    this.transitions = transitions;
  }

  /** A registry with no gates and no probation, and metrics nobody scrapes: for tools and tests. */
  public static Behavior<Command> create(InferenceSettings settings, ServingSlot slot) {
    return create(AdminSettings.defaults(), settings, slot, new PrometheusRegistry());
  }

  /** The service's registry: it publishes to {@code slot} and registers its metrics in {@code metrics}. */
  public static Behavior<Command> create(AdminSettings admin, InferenceSettings inference, ServingSlot slot, PrometheusRegistry metrics) {
    return Behaviors.setup(ctx -> new ModelRegistry(ctx, new Transitions(ctx, admin, inference, slot, metrics)).idle());
  }

  private Behavior<Command> idle() {
    return Behaviors.receive(Command.class)
        .onMessage(LoadModel.class, load -> loading(Models.NONE, transitions.start(load, Models.NONE)))
        .onMessage(StartTrial.class, t -> refuse(t.replyTo(), "no model is serving, so there is nothing to try a candidate against"))
        .onMessage(Rollback.class, r -> refuse(r.replyTo(), "no model has been loaded, so there is nothing to roll back to"))
        .onMessage(Promote.class, p -> refuse(p.replyTo(), "no candidate is on trial"))
        .onMessage(AbortTrial.class, a -> refuse(a.replyTo(), "no candidate is on trial"))
        .onMessage(GetStatus.class, g -> status(g, Models.NONE, Optional.empty()))
        .build();
  }

  private Behavior<Command> serving(Models m) {
    return Behaviors.receive(Command.class)
        .onMessage(LoadModel.class, load -> loading(m, transitions.start(load, m)))
        .onMessage(StartTrial.class, t -> m.trial().isPresent()
            ? refuse(t.replyTo(), "a " + m.trial().get().mode() + " of " + m.trial().get().handle() + " is running; promote or abort it first")
            : loading(m, transitions.start(t, m)))
        .onMessage(Rollback.class, r -> serving(transitions.rollback(m, r)))
        .onMessage(Promote.class, p -> serving(transitions.promote(m, p)))
        .onMessage(AbortTrial.class, a -> serving(transitions.abort(m, a)))
        .onMessage(Transitions.ProbationEnded.class, p -> serving(transitions.probationEnded(m, p)))
        .onMessage(GetStatus.class, g -> status(g, m, Optional.empty()))
        .onSignal(PostStop.class, s -> transitions.stopped(m, Optional.empty()))
        .build();
  }

  private Behavior<Command> loading(Models m, Transitions.Pending pending) {
    return Behaviors.receive(Command.class)
        .onMessage(LoadModel.class, load -> refuse(load.replyTo(), busy(load, pending)))
        .onMessage(StartTrial.class, t -> refuse(t.replyTo(), busy(t, pending)))
        .onMessage(Rollback.class, r -> loading(transitions.rollback(m, r), pending))
        .onMessage(Promote.class, p -> loading(transitions.promote(m, p), pending))
        .onMessage(AbortTrial.class, a -> loading(transitions.abort(m, a), pending))
        .onMessage(Transitions.ProbationEnded.class, p -> loading(transitions.probationEnded(m, p), pending))
        .onMessage(Transitions.LoadFinished.class, f -> {
          Models next = transitions.finish(m, f);
          return next.current().isPresent() ? serving(next) : idle();
        })
        .onMessage(GetStatus.class, g -> status(g, m, Optional.of(pending.request().source().toString())))
        .onSignal(PostStop.class, s -> transitions.stopped(m, Optional.of(pending.outcome())))
        .build();
  }

  private static String busy(LoadRequest refused, Transitions.Pending pending) {
    return "refused " + refused.source() + ": " + pending.request().source() + " is still loading; one load at a time, retry when it has finished";
  }

  private <T> Behavior<Command> refuse(ActorRef<StatusReply<T>> replyTo, String reason) {
    ctx.getLog().info("Admin request refused: {}", reason);
    replyTo.tell(StatusReply.error(reason));
    return Behaviors.same();
  }

  private Behavior<Command> status(GetStatus g, Models m, Optional<String> loading) {
    g.replyTo().tell(transitions.status(m, loading));
    return Behaviors.same();
  }
}
