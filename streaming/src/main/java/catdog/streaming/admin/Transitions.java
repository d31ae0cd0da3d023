package catdog.streaming.admin;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.pattern.StatusReply;
import catdog.streaming.admin.ModelRegistry.Command;
import catdog.streaming.admin.ModelRegistry.LoadModel;
import catdog.streaming.admin.ModelRegistry.LoadRequest;
import catdog.streaming.admin.ModelRegistry.ModelSwapped;
import catdog.streaming.admin.ModelRegistry.StartTrial;
import catdog.streaming.admin.ModelRegistry.Status;
import catdog.streaming.inference.InferenceSettings;
import catdog.streaming.inference.OnnxModel;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;

/**
 * What the registry's messages do to its {@link Models}, on the actor's thread. Every change is published
 * to the slot before any handle is retired, so a handle is never leased after the registry let it go.
 */
final class Transitions {
  record LoadFinished(ModelLoader.Outcome outcome, LoadRequest request) implements Command {}

  record ProbationEnded(ModelHandle handle, ProbationWatch.Verdict verdict) implements Command {}

  record Pending(LoadRequest request, CompletionStage<ModelLoader.Outcome> outcome) {}

  private final ActorContext<Command> ctx;
  private final Logger log;
  private final AdminSettings admin;
  private final ServingSlot slot;
  private final ModelLoader loader;
  private final Executor blocking;
  private final AtomicInteger openSessions = new AtomicInteger();
  private final RegistryMetrics metrics;
  private volatile Models latest = Models.NONE;

  Transitions(ActorContext<Command> ctx, AdminSettings admin, InferenceSettings inference, ServingSlot slot, PrometheusRegistry registry) {
    this.ctx = ctx;
    this.log = ctx.getLog();
    this.admin = admin;
    this.slot = slot;
    this.loader = new ModelLoader(inference, admin.gates());
    this.blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
    this.metrics = new RegistryMetrics(registry, openSessions::get,
        () -> latest.trial().filter(t -> t.mode() == TrialMode.CANARY).map(t -> t.basisPoints() / 100.0).orElse(0.0),
        () -> latest.trial().filter(t -> t.mode() == TrialMode.SHADOW).map(t -> t.handle().agreementRate()).orElse(Double.NaN));
  }

  Pending start(LoadRequest request, Models m) {
    log.info("Loading model from {} as {} (serving {})", request.source(), request instanceof StartTrial t ? "a " + t.mode() : "the next model",
        m.current().map(Object::toString).orElse("nothing"));
    Optional<Double> bar = m.current().flatMap(c -> c.measures().goldenAccuracy());
    CompletableFuture<ModelLoader.Outcome> outcome = CompletableFuture.supplyAsync(() -> loader.load(request.source(), bar), blocking);
    ctx.pipeToSelf(outcome, (result, error) -> new LoadFinished(
        error == null ? result : new ModelLoader.Outcome.Refused("loading failed unexpectedly: " + error), request));
    return new Pending(request, outcome);
  }

  Models finish(Models m, LoadFinished f) {
    if (f.outcome() instanceof ModelLoader.Outcome.Refused refused) {
      return refused(m, f.request(), refused.reason());
    }
    ModelLoader.Outcome.Ready ready = (ModelLoader.Outcome.Ready) f.outcome();
    OnnxModel model = ready.model();
    if (m.current().isPresent() && m.current().get().info().id().equals(model.info().id())) {
      model.close();
      if (f.request() instanceof LoadModel load) {
        log.info("Model {} from {} is already serving; nothing to swap", model.info().id(), load.source());
        load.replyTo().tell(StatusReply.success(swapped(m)));
        return m;
      }
      return refused(m, f.request(), model.info().id() + " is already serving; a trial needs a different version");
    }
    Optional<String> misfit = m.current().flatMap(c -> ModelLoader.misfit(model.info(), c.info()));
    if (misfit.isPresent()) {
      model.close();
      return refused(m, f.request(), misfit.get());
    }
    openSessions.incrementAndGet();
    ModelHandle next = new ModelHandle(model, ready.measures(), openSessions::decrementAndGet);
    if (f.request() instanceof StartTrial t) {
      int basisPoints = t.mode() == TrialMode.CANARY ? (int) Math.round(Math.max(0, Math.min(100, t.percent())) * 100) : 0;
      Models tried = publish(m.withTrial(Optional.of(new ServingSlot.Trial(next, t.mode(), basisPoints))));
      watch(next);
      log.info("Started a {} of model {} ({} %) next to {}", t.mode(), next, basisPoints / 100.0, m.current().orElseThrow());
      t.replyTo().tell(StatusReply.success(status(tried, Optional.empty())));
      return tried;
    }
    Models swapped = publish(new Models(Optional.of(next), m.current(), m.trial(), m.notice()));
    m.previous().ifPresent(ModelHandle::retire);
    if (m.current().isPresent()) {
      watch(next);
    }
    metrics.swapped();
    log.info("Swapped to model {} on {} (previous {}, from {})", next, model.provider(), m.current().map(Object::toString).orElse("none"),
        f.request().source());
    ((LoadModel) f.request()).replyTo().tell(StatusReply.success(swapped(swapped)));
    return swapped;
  }

  Models rollback(Models m, ModelRegistry.Rollback r) {
    if (m.current().isEmpty() || m.previous().isEmpty()) {
      r.replyTo().tell(StatusReply.error("no previous model to roll back to; serving " + m.current().map(Object::toString).orElse("nothing")));
      return m;
    }
    Models back = publish(new Models(m.previous(), m.current(), m.trial(), m.notice()));
    metrics.rolledBack(false);
    log.info("Rolled back from model {} to {}", m.current().get(), m.previous().get());
    r.replyTo().tell(StatusReply.success(swapped(back)));
    return back;
  }

  Models promote(Models m, ModelRegistry.Promote p) {
    if (m.trial().isEmpty()) {
      p.replyTo().tell(StatusReply.error("no candidate is on trial"));
      return m;
    }
    ModelHandle candidate = m.trial().get().handle();
    Models promoted = publish(new Models(Optional.of(candidate), m.current(), Optional.empty(), m.notice()));
    m.previous().ifPresent(ModelHandle::retire);
    watch(candidate);
    metrics.swapped();
    log.info("Promoted {} candidate {} over {}", m.trial().get().mode(), candidate, m.current().map(Object::toString).orElse("nothing"));
    p.replyTo().tell(StatusReply.success(swapped(promoted)));
    return promoted;
  }

  Models abort(Models m, ModelRegistry.AbortTrial a) {
    if (m.trial().isEmpty()) {
      a.replyTo().tell(StatusReply.error("no candidate is on trial"));
      return m;
    }
    Models ended = endTrial(m, "aborted by request");
    a.replyTo().tell(StatusReply.success(status(ended, Optional.empty())));
    return ended;
  }

  Models probationEnded(Models m, ProbationEnded p) {
    ModelHandle h = p.handle();
    if (p.verdict().passed()) {
      log.info("Model {} passed probation: {}", h, p.verdict().summary());
      return publish(m.withNotice(h + " passed probation: " + p.verdict().summary()));
    }
    if (m.current().filter(c -> c == h).isPresent() && m.previous().isPresent()) {
      Models back = publish(new Models(m.previous(), Optional.empty(), m.trial(),
          Optional.of("automatic rollback from " + h + " to " + m.previous().get() + ": " + p.verdict().summary())));
      h.retire();
      metrics.rolledBack(true);
      log.warn("Automatic rollback from model {} to {}: {}", h, m.previous().get(), p.verdict().summary());
      return back;
    }
    if (m.trial().filter(t -> t.handle() == h).isPresent()) {
      return endTrial(m, "failed probation: " + p.verdict().summary());
    }
    return m;
  }

  Status status(Models m, Optional<String> loading) {
    return m.status(loading, openSessions.get());
  }

  /** Unpublishes, then drops the registry's references; leased sessions close when their batches finish. */
  Behavior<Command> stopped(Models m, Optional<CompletionStage<ModelLoader.Outcome>> pending) {
    slot.clear();
    m.current().ifPresent(ModelHandle::retire);
    m.previous().ifPresent(ModelHandle::retire);
    m.trial().ifPresent(t -> t.handle().retire());
    pending.ifPresent(p -> p.thenAccept(o -> {
      if (o instanceof ModelLoader.Outcome.Ready r) {
        r.model().close();
      }
    }));
    return Behaviors.same();
  }

  private Models endTrial(Models m, String why) {
    ServingSlot.Trial t = m.trial().orElseThrow();
    Models ended = publish(new Models(m.current(), m.previous(), Optional.empty(), Optional.of(t.mode() + " of " + t.handle() + " " + why)));
    t.handle().retire();
    log.info("Ended the {} of model {}: {}", t.mode(), t.handle(), why);
    return ended;
  }

  private Models refused(Models m, LoadRequest request, String reason) {
    log.warn("Refused model from {}: {}; still serving {}", request.source(), reason, m.current().map(Object::toString).orElse("nothing"));
    metrics.refused(reason);
    String message = "refused " + request.source() + ": " + reason;
    if (request instanceof LoadModel load) {
      load.replyTo().tell(StatusReply.error(message));
    } else {
      ((StartTrial) request).replyTo().tell(StatusReply.error(message));
    }
    return publish(m.withNotice(message));
  }

  private void watch(ModelHandle h) {
    if (admin.probation().batches() > 0) {
      ActorRef<Command> self = ctx.getSelf();
      h.watch(new ProbationWatch(admin.probation(), verdict -> self.tell(new ProbationEnded(h, verdict))));
    }
  }

  private Models publish(Models m) {
    slot.publish(m.current(), m.trial());
    latest = m;
    return m;
  }

  private static ModelSwapped swapped(Models m) {
    return new ModelSwapped(m.current().orElseThrow().info(), m.previous().map(ModelHandle::info));
  }
}
