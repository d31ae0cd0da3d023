package catdog.streaming.admin;

import catdog.streaming.inference.BatchResult;
import catdog.streaming.inference.ModelInfo;
import catdog.streaming.inference.ModelLease;
import java.util.concurrent.atomic.AtomicBoolean;

/** One holder's reference on a {@link ModelHandle}; closing it twice releases once. */
final class Lease implements ModelLease {
  private final ModelHandle handle;
  private final AtomicBoolean released = new AtomicBoolean();
  private final boolean canary;

  Lease(ModelHandle handle, boolean canary) {
    this.handle = handle;
    this.canary = canary;
  }

  @Override
  public boolean canary() {
    return canary;
  }

  @Override
  public void recordAgreement(boolean agreed) {
    handle.agreement(agreed);
  }

  @Override
  public ModelInfo info() {
    return handle.info();
  }

  @Override
  public BatchResult run(float[] batch, int n) {
    if (released.get()) {
      throw new IllegalStateException("the lease on " + handle + " was already closed");
    }
    long start = System.nanoTime();
    BatchResult result = handle.model().run(batch, n);
    handle.recorded(System.nanoTime() - start, result instanceof BatchResult.Failed);
    return result;
  }

  @Override
  public void close() {
    if (released.compareAndSet(false, true)) {
      handle.release();
    }
  }

  @Override
  public String toString() {
    return "lease on " + handle + (released.get() ? " (released)" : "");
  }
}
