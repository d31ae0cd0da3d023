package catdog.cli.matching;

/**
 * Throughput over the middle of a run, from 10% to 90% of the records done: start-up (group join, warm-up)
 * and the tail (the last partial batch) would otherwise blur a short run.
 */
public final class ThroughputWindow {
  private final long total;
  private final long from;
  private final long to;
  private long fromNanos = -1;
  private long toNanos = -1;

  public ThroughputWindow(long total) {
    if (total < 10) {
      throw new IllegalArgumentException("a throughput window needs at least 10 records, had " + total);
    }
    this.total = total;
    this.from = total / 10;
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
