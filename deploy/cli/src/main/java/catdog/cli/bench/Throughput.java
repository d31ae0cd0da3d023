package catdog.cli.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/** Runs a unit of work on n threads for a warm-up and then a measured window; reports units per second. */
final class Throughput {
  private Throughput() {}

  /** The median of repeated measurements: the lower middle one of an even count. */
  static double median(List<Double> rates) {
    if (rates.isEmpty()) {
      throw new IllegalArgumentException("no measurements");
    }
    List<Double> sorted = rates.stream().sorted().toList();
    return sorted.get((sorted.size() - 1) / 2);
  }

  /** {@code work} does one step and returns how many images it handled. */
  static double measure(int threads, Duration warmUp, Duration window, IntSupplier work) {
    long start = System.nanoTime();
    long measureFrom = start + warmUp.toNanos();
    long end = measureFrom + window.toNanos();
    AtomicLong counted = new AtomicLong();
    AtomicLong failure = new AtomicLong();
    List<Thread> workers = new ArrayList<>(threads);
    for (int t = 0; t < threads; t++) {
      Thread worker = new Thread(() -> {
        try {
          while (System.nanoTime() < measureFrom) {
            work.getAsInt();
          }
          long mine = 0;
          while (System.nanoTime() < end) {
            mine += work.getAsInt();
          }
          counted.addAndGet(mine);
        } catch (RuntimeException e) {
          failure.incrementAndGet();
          throw e;
        }
      }, "bench-" + t);
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      try {
        worker.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while measuring", e);
      }
    }
    if (failure.get() > 0) {
      throw new IllegalStateException(failure.get() + " benchmark thread(s) failed; see the log");
    }
    long measuredNanos = Math.max(1, System.nanoTime() - measureFrom);
    return counted.get() / (measuredNanos / 1e9);
  }
}
