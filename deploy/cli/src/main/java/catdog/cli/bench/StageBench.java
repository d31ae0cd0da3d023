package catdog.cli.bench;

import catdog.streaming.inference.BatchResult;
import catdog.streaming.inference.ImagePreprocessor;
import catdog.streaming.inference.OnnxModel;
import catdog.streaming.inference.Preprocessed;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Decode-and-preprocess and inference throughput, each alone, with the service's own components. */
final class StageBench {
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
    return Throughput.measure(threads, warmUp, window, () -> {
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
    return Throughput.measure(inferThreads, warmUp, window, () -> {
      BatchResult result = model.run(tensors, batch);
      if (result instanceof BatchResult.Failed failed) {
        throw new IllegalStateException("inference failed: " + failed.reason());
      }
      return batch;
    });
  }

  private float[] tensor(byte[] encoded) {
    Preprocessed p = preprocessor.apply(encoded);
    if (p instanceof Preprocessed.Ready ready) {
      return ready.tensor();
    }
    throw new IllegalStateException("a benchmark image was refused: " + ((Preprocessed.Refused) p).reason());
  }
}
