package catdog.cli.bench;

import catdog.streaming.inference.BatchResult;
import catdog.streaming.inference.ImagePreprocessor;
import catdog.streaming.inference.OnnxModel;
import catdog.streaming.inference.Preprocessed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Decode-and-preprocess and inference throughput, each alone, with the service's own components. Each figure
 * is the median of {@link #ROUNDS} windows, the estimator the end-to-end and naive figures use too. It was the
 * best window: on this shared machine windows of the same stage differ by several percent, so the best of
 * three (and infer_best, the best of fifteen) set the bound above what a typical window of any figure reaches.
 * Every window's rate goes to {@link #windows()} for the report.
 */
final class StageBench {
  static final int ROUNDS = 3;

  private final ImagePreprocessor preprocessor;
  private final OnnxModel model;
  private final int inferThreads;
  private final Duration warmUp;
  private final Duration window;
  private final Map<String, List<Double>> windows = new LinkedHashMap<>();

  StageBench(ImagePreprocessor preprocessor, OnnxModel model, int inferThreads, Duration warmUp, Duration window) {
    this.preprocessor = preprocessor;
    this.model = model;
    this.inferThreads = inferThreads;
    this.warmUp = warmUp;
    this.window = window;
  }

  /** Images per second decoded and turned into tensors on {@code threads} threads, recorded as {@code key}. */
  double decode(String key, BenchImages images, int threads) {
    AtomicInteger next = new AtomicInteger();
    return median(key, threads, () -> {
      tensor(images.get(next.getAndIncrement()));
      return 1;
    });
  }

  /** Images per second through ONNX Runtime in batches of {@code batch}, real images in every slot. */
  double infer(String key, BenchImages images, int batch) {
    int size = preprocessor.preprocessing().tensorSize();
    float[] tensors = new float[batch * size];
    for (int i = 0; i < batch; i++) {
      System.arraycopy(tensor(images.get(i)), 0, tensors, i * size, size);
    }
    return median(key, inferThreads, () -> {
      BatchResult result = model.run(tensors, batch);
      if (result instanceof BatchResult.Failed failed) {
        throw new IllegalStateException("inference failed: " + failed.reason());
      }
      return batch;
    });
  }

  /** Each measured figure's window rates, in the order measured. */
  Map<String, List<Double>> windows() {
    return windows;
  }

  private double median(String key, int threads, IntSupplier work) {
    List<Double> rates = new ArrayList<>(ROUNDS);
    for (int round = 0; round < ROUNDS; round++) {
      rates.add(Throughput.measure(threads, round == 0 ? warmUp : Duration.ZERO, window, work));
    }
    windows.put(key, rates);
    return Throughput.median(rates);
  }

  private float[] tensor(byte[] encoded) {
    Preprocessed p = preprocessor.apply(encoded);
    if (p instanceof Preprocessed.Ready ready) {
      return ready.tensor();
    }
    throw new IllegalStateException("a benchmark image was refused: " + ((Preprocessed.Refused) p).reason());
  }
}
