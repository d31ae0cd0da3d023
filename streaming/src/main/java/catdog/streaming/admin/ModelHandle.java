package catdog.streaming.admin;

import catdog.streaming.inference.ModelInfo;
import catdog.streaming.inference.OnnxModel;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loaded model with a reference count: one reference for the registry while it keeps the model (as current
 * or previous), one per open lease. Whoever drops the count to zero closes the session, exactly once: the
 * registry when it retires an idle model, or the batch that closes the last lease after its run returned.
 * A count that reached zero never rises again, so no lease can be taken on a closed session.
 */
final class ModelHandle {
  private final OnnxModel model;
  private final AtomicInteger refs = new AtomicInteger(1);
  private final AtomicBoolean retired = new AtomicBoolean();
  private final Runnable onClosed;
  private final ModelLoader.Measures measures;
  private final AtomicLong compared = new AtomicLong();
  private final AtomicLong agreed = new AtomicLong();
  private volatile Optional<ProbationWatch> probation = Optional.empty();

  ModelHandle(OnnxModel model, ModelLoader.Measures measures, Runnable onClosed) {
    this.model = model;
    this.measures = measures;
    this.onClosed = onClosed;
  }

  ModelLoader.Measures measures() {
    return measures;
  }

  /** Puts the model on probation: its next batches are watched and judged once. */
  void watch(ProbationWatch watch) {
    probation = Optional.of(watch);
  }

  boolean onProbation() {
    return probation.map(w -> !w.decided()).orElse(false);
  }

  void recorded(long batchNanos, boolean failed) {
    Optional<ProbationWatch> w = probation;
    if (w.isPresent()) {
      w.get().record(batchNanos, failed);
    }
  }

  /** For a shadow candidate: whether its top class matched the serving model's for one record. */
  void agreement(boolean same) {
    compared.incrementAndGet();
    if (same) {
      agreed.incrementAndGet();
    }
  }

  /** Records compared and the share that agreed (NaN before the first). */
  long compared() {
    return compared.get();
  }

  double agreementRate() {
    long n = compared.get();
    return n == 0 ? Double.NaN : (double) agreed.get() / n;
  }

  ModelInfo info() {
    return model.info();
  }

  OnnxModel model() {
    return model;
  }

  /** Takes a reference unless the model is already closed (or closing). */
  boolean tryRetain() {
    while (true) {
      int n = refs.get();
      if (n == 0) {
        return false;
      }
      if (refs.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  void release() {
    int n = refs.decrementAndGet();
    if (n == 0) {
      model.close();
      onClosed.run();
    } else if (n < 0) {
      throw new IllegalStateException(model.info().id() + " released more often than retained");
    }
  }

  /** Drops the registry's own reference; the model closes now if no lease holds it, else on the last release. */
  void retire() {
    if (retired.compareAndSet(false, true)) {
      release();
    }
  }

  /** Open leases right now (the registry's own reference excluded). */
  int leases() {
    return Math.max(0, refs.get() - (retired.get() ? 0 : 1));
  }

  @Override
  public String toString() {
    return model.info().id();
  }
}
