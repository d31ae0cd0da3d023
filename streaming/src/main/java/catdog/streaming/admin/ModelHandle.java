package catdog.streaming.admin;

import catdog.streaming.inference.ModelInfo;
import catdog.streaming.inference.OnnxModel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

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

  ModelHandle(OnnxModel model, Runnable onClosed) {
    this.model = model;
    this.onClosed = onClosed;
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
