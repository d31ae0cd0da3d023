package catdog.streaming.pipeline;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that do the service's CPU work, about one per core: each takes a whole batch, decodes its
 * images and runs ONNX Runtime on it. With a pool for decoding and another for inference, two decode threads
 * and an inference thread competed for two cores, and inference could never use more than its own thread's
 * share even when it was the bottleneck (the default model's inference costs twice its decoding). One pool
 * gives whatever work there is all the cores, and never more busy threads than cores.
 */
public final class ComputePool implements AutoCloseable {
  private final ThreadPoolExecutor executor;

  public ComputePool(int threads, String name) {
    if (threads < 1) {
      throw new IllegalArgumentException("a compute pool needs at least one thread");
    }
    AtomicInteger count = new AtomicInteger();
    executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, name + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Where batches are decoded and scored. */
  public Executor executor() {
    return executor;
  }

  public int threads() {
    return executor.getCorePoolSize();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
