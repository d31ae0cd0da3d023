package catdog.cli.matching;

/**
 * Throughput over the middle of a run, by default from 10% to 90% of the records done: start-up (group join,
 * warm-up) and the tail (the last partial batch) would otherwise blur a short run. A benchmark that wants the
 * steady state starts the window later, once the JIT has compiled the hot paths.
 */
public final class ThroughputWindow {
  private final long total;
  private final long from;
  private final long to;
  private long fromNanos = -1;
  private long toNanos = -1;

  public ThroughputWindow(long total) {
    this(total, 0.1);
  }

  /** A window from {@code start} (a fraction of {@code total}, below 0.9) to 90% of the records done. */
  public ThroughputWindow(long total, double start) {
    if (total < 10) {
      throw new IllegalArgumentException("a throughput window needs at least 10 records, had " + total);
    }
    if (!(start >= 0 && start < 0.9)) {
      throw new IllegalArgumentException("a throughput window starts between 0 and 90% of the run, not at " + start);
    }
    this.total = total;
    this.from = (long) (total * start);
    this.to = total - total / 10;
  }

  /** Reports that {@code count} records are done so far. */
  public synchronized void done(long count) {
    long now = System.nanoTime();
    if (count >= from && fromNanos < 0) {
      fromNanos = now;
    }
    if (count >= to && toNanos < 0) {
      toNanos = now;
    }
  }

  /** Records per second inside the window. */
  public synchronized double rate() {
    if (fromNanos < 0 || toNanos <= fromNanos) {
      throw new IllegalStateException("the run did not get through 90% of " + total + " records");
    }
    return (to - from) / ((toNanos - fromNanos) / 1e9);
  }
}
