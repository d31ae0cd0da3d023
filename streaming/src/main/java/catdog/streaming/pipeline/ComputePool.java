package catdog.streaming.pipeline;

import java.util.concurrent.Executor;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The threads that do the service's CPU work: decoding images and running ONNX Runtime share one pool of
 * about one thread per core. With a pool for each, two decode threads and an inference thread competed for
 * two cores, and inference could never use more than its own thread's share even when it was the bottleneck
 * (the default model's inference costs twice its decoding). One pool gives whichever stage has work all the
 * cores, and never more busy threads than cores. Scoring goes ahead of decoding: a batch that is formed
 * finishes before more images are decoded, which keeps latency short while decoding fills the gaps.
 */
public final class ComputePool implements AutoCloseable {
  private final ThreadPoolExecutor executor;
  private final AtomicLong sequence = new AtomicLong();
  private final Executor scoring = task -> submit(0, task);
  private final Executor decoding = task -> submit(1, task);

  public ComputePool(int threads, String name) {
    if (threads < 1) {
      throw new IllegalArgumentException("a compute pool needs at least one thread");
    }
    AtomicInteger count = new AtomicInteger();
    executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new PriorityBlockingQueue<>(), r -> {
      Thread t = new Thread(r, name + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    // Started threads take every task through the queue, so priorities hold from the first task on.
    executor.prestartAllCoreThreads();
  }

  /** Runs batches through ONNX Runtime; its tasks go before any waiting decode task. */
  public Executor scoring() {
    return scoring;
  }

  /** Decodes and preprocesses images. */
  public Executor decoding() {
    return decoding;
  }

  public int threads() {
    return executor.getCorePoolSize();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  private void submit(int priority, Runnable task) {
    executor.execute(new Task(priority, sequence.getAndIncrement(), task));
  }

  /** A task in priority order, first come first served within a priority. */
  private record Task(int priority, long sequence, Runnable body) implements Runnable, Comparable<Task> {
    @Override
    public void run() {
      body.run();
    }

    @Override
    public int compareTo(Task other) {
      return priority != other.priority ? Integer.compare(priority, other.priority) : Long.compare(sequence, other.sequence);
    }
  }
}
