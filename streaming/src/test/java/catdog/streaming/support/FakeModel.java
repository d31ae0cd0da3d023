package catdog.streaming.support;

import catdog.streaming.inference.BatchResult;
import catdog.streaming.inference.ModelInfo;
import catdog.streaming.inference.ModelLease;
import catdog.streaming.inference.ModelLeases;
import catdog.streaming.inference.Preprocessing;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A stand-in for the admin actor's leases, for pipeline tests that are about the stream rather than
 * ONNX: it scores an image by its mean pixel value (bright → "dog"), counts leases taken and released,
 * and can be told to fail.
 */
public final class FakeModel implements ModelLeases {
  private final AtomicReference<ModelInfo> info;
  private final AtomicInteger acquired = new AtomicInteger();
  private final AtomicInteger released = new AtomicInteger();
  private final AtomicInteger batches = new AtomicInteger();
  private volatile String failure = "";
  private volatile int swapAt = Integer.MAX_VALUE;
  private volatile java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(0);
  private final java.util.List<Integer> batchSizes = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile ModelInfo swapTo;

  public FakeModel(ModelInfo info) {
    this.info = new AtomicReference<>(info);
  }

  /** A two-class cat/dog model taking 3×16×16 RGB in [0,1]. */
  public static FakeModel catDog(String version) {
    return new FakeModel(info(version, Preprocessing.unitRgb(16, 16)));
  }

  public static ModelInfo info(String version, Preprocessing preprocessing) {
    return new ModelInfo("fake", version, List.of("cat", "dog"), preprocessing, Map.of());
  }

  public void swap(ModelInfo next) {
    info.set(next);
  }

  /** From the {@code n}th lease on, the model is {@code next}: a swap at a chosen point of the stream. */
  public void swapOnAcquire(int n, ModelInfo next) {
    swapAt = n;
    swapTo = next;
  }

  /** Every run waits until {@code gate} opens: a busy model, for back-pressure tests. */
  public void holdRunsUntil(java.util.concurrent.CountDownLatch gate) {
    this.gate = gate;
  }

  /** The size of every batch run so far, in order. */
  public java.util.List<Integer> batchSizes() {
    return java.util.List.copyOf(batchSizes);
  }

  public void failWith(String reason) {
    failure = reason;
  }

  public int acquired() {
    return acquired.get();
  }

  public int released() {
    return released.get();
  }

  public int batches() {
    return batches.get();
  }

  @Override
  public Optional<ModelLease> acquire() {
    if (acquired.incrementAndGet() >= swapAt) {
      info.set(swapTo);
    }
    ModelInfo held = info.get();
    return Optional.of(new ModelLease() {
      @Override
      public ModelInfo info() {
        return held;
      }

      @Override
      public BatchResult run(float[] batch, int n) {
        batches.incrementAndGet();
        batchSizes.add(n);
        try {
          gate.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return new BatchResult.Failed("interrupted");
        }
        if (!failure.isEmpty()) {
          return new BatchResult.Failed(failure);
        }
        int size = held.preprocessing().tensorSize();
        if (batch.length < n * size) {
          throw new IllegalArgumentException("batch of " + n + " needs " + n * size + " floats, had " + batch.length);
        }
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
          double sum = 0;
          for (int j = 0; j < size; j++) {
            sum += batch[i * size + j];
          }
          float dog = (float) Math.min(1, Math.max(0, sum / size));
          out[i] = new float[] {1 - dog, dog};
        }
        return new BatchResult.Scored(out);
      }

      @Override
      public void close() {
        released.incrementAndGet();
      }
    });
  }
}
