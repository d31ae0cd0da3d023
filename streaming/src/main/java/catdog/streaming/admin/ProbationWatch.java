package catdog.streaming.admin;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Watches a fresh model's first batches and delivers one verdict: failed as soon as too many batches
 * failed to ever pass, else after the last watched batch, on its error rate and p99 latency. Recording is
 * lock-free; batch threads call it concurrently.
 */
final class ProbationWatch {
  record Verdict(boolean passed, String summary) {}

  private final AdminSettings.Probation settings;
  private final long[] nanos;
  private final AtomicInteger claimed = new AtomicInteger();
  private final AtomicInteger recorded = new AtomicInteger();
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicBoolean decided = new AtomicBoolean();
  private final Consumer<Verdict> onVerdict;

  ProbationWatch(AdminSettings.Probation settings, Consumer<Verdict> onVerdict) {
    this.settings = settings;
    this.nanos = new long[settings.batches()];
    this.onVerdict = onVerdict;
  }

  void record(long batchNanos, boolean failed) {
    int slot = claimed.getAndIncrement();
    if (slot >= nanos.length || decided.get()) {
      return;
    }
    nanos[slot] = batchNanos;
    int failedSoFar = failed ? failures.incrementAndGet() : failures.get();
    if (failedSoFar > settings.maxErrorRate() * nanos.length) {
      decide(new Verdict(false, String.format(Locale.ROOT, "%d of its first %d batches failed, over the allowed error rate %.3f",
          failedSoFar, nanos.length, settings.maxErrorRate())));
      return;
    }
    if (recorded.incrementAndGet() == nanos.length) {
      double p99 = ModelLoader.p99(nanos) / 1e6;
      long bound = settings.maxP99().toNanos();
      String summary = String.format(Locale.ROOT, "%d failed of %d batches, p99 %.1f ms", failedSoFar, nanos.length, p99);
      decide(new Verdict(bound == 0 || p99 * 1e6 <= bound,
          bound > 0 && p99 * 1e6 > bound ? summary + ", over the bound of " + settings.maxP99().toMillis() + " ms" : summary));
    }
  }

  boolean decided() {
    return decided.get();
  }

  private void decide(Verdict verdict) {
    if (decided.compareAndSet(false, true)) {
      onVerdict.accept(verdict);
    }
  }
}
