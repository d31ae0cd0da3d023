package catdog.streaming.admin;

import catdog.streaming.admin.ModelRegistry.ModelView;
import catdog.streaming.admin.ModelRegistry.Status;
import catdog.streaming.admin.ModelRegistry.TrialView;
import java.util.Optional;

/**
 * The registry's state: the serving model, the one a rollback restores, a candidate on trial, and the
 * latest notable event (a refusal, an automatic rollback) for operators.
 */
record Models(Optional<ModelHandle> current, Optional<ModelHandle> previous, Optional<ServingSlot.Trial> trial, Optional<String> notice) {
  static final Models NONE = new Models(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  Models withNotice(String text) {
    return new Models(current, previous, trial, Optional.of(text));
  }

  Models withTrial(Optional<ServingSlot.Trial> t) {
    return new Models(current, previous, t, notice);
  }

  Status status(Optional<String> loading, int openSessions) {
    return new Status(current.map(Models::view), previous.map(Models::view), trial.map(t -> new TrialView(view(t.handle()), t.mode(),
        t.basisPoints() / 100.0, t.handle().compared(), t.handle().agreementRate())), loading, openSessions, notice);
  }

  static ModelView view(ModelHandle h) {
    return new ModelView(h.info(), h.model().provider(), h.measures().goldenAccuracy(), h.measures().warmUpP99Millis(), h.leases(),
        h.onProbation());
  }
}
