package catdog.cli.bench;

import catdog.streaming.inference.BatchResult;
import catdog.streaming.inference.ImagePreprocessor;
import catdog.streaming.inference.OnnxModel;
import catdog.streaming.inference.Preprocessed;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decode-and-preprocess and inference throughput, each alone, with the service's own components. Each figure
 * is the best of {@link #ROUNDS} windows: other processes on a shared machine can only slow a window down,
 * so the best one is the closest to what this machine's cores can do.
 */
final class StageBench {
  static final int ROUNDS = 3;

  private final ImagePreprocessor preprocessor;
  private final OnnxModel model;
  private final int inferThreads;
  private final Duration warmUp;
  private final Duration window;

  StageBench(ImagePreprocessor preprocessor, OnnxModel model, int inferThreads, Duration warmUp, Duration window) {
    this.preprocessor = preprocessor;
    this.model = model;
    this.inferThreads = inferThreads;
    this.warmUp = warmUp;
    this.window = window;
  }

  /** Images per second decoded and turned into tensors on {@code threads} threads. */
  double decode(BenchImages images, int threads) {
    AtomicInteger next = new AtomicInteger();
    return best(threads, () -> {
      tensor(images.get(next.getAndIncrement()));
      return 1;
    });
  }

  /** Images per second through ONNX Runtime in batches of {@code batch}, real images in every slot. */
  double infer(BenchImages images, int batch) {
    int size = preprocessor.preprocessing().tensorSize();
    float[] tensors = new float[batch * size];
    for (int i = 0; i < batch; i++) {
      System.arraycopy(tensor(images.get(i)), 0, tensors, i * size, size);
    }
    return best(inferThreads, () -> {
      BatchResult result = model.run(tensors, batch);
      if (result instanceof BatchResult.Failed failed) {
        throw new IllegalStateException("inference failed: " + failed.reason());
      }
      return batch;
    });
  }

  private double best(int threads, java.util.function.IntSupplier work) {
    double best = Throughput.measure(threads, warmUp, window, work);
    for (int round = 1; round < ROUNDS; round++) {
      best = Math.max(best, Throughput.measure(threads, Duration.ZERO, window, work));
    }
    return best;
  }

  private float[] tensor(byte[] encoded) {
    Preprocessed p = preprocessor.apply(encoded);
    if (p instanceof Preprocessed.Ready ready) {
      return ready.tensor();
    }
    throw new IllegalStateException("a benchmark image was refused: " + ((Preprocessed.Refused) p).reason());
  }
}
