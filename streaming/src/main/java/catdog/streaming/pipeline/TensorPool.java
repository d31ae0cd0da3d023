package catdog.streaming.pipeline;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Recycles per-image tensors between decode and scoring, so the hot path does not allocate (and the GC
 * does not sweep) one tensor per image: 192 KB each for a 3×128×128 model. Bounded: what does not fit is
 * left to the GC, and a tensor never returned (a stream failure dropped it) is simply replaced.
 */
final class TensorPool {
  private final int capacity;
  private final ConcurrentLinkedQueue<float[]> free = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pooled = new AtomicInteger();

  TensorPool(int capacity) {
    this.capacity = capacity;
  }

  /** A tensor of exactly {@code length} floats, reused when one is free; its contents are overwritten by the caller. */
  float[] take(int length) {
    float[] t;
    while ((t = free.poll()) != null) {
      pooled.decrementAndGet();
      if (t.length == length) {
        return t;
      }
      // Sized for a model swapped out since: dropped.
    }
    return new float[length];
  }

  void give(float[] tensor) {
    if (pooled.incrementAndGet() <= capacity) {
      free.offer(tensor);
    } else {
      pooled.decrementAndGet();
    }
  }
}
