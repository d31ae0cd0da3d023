package catdog.trainer.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import catdog.streaming.inference.ModelInfo;
import catdog.streaming.inference.Preprocessing;
import catdog.trainer.data.ImageSet;
import java.nio.FloatBuffer;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Observes the range of every calibration point of a {@link Quantizer.Plan} by running its folded float graph
 * in ONNX Runtime on images preprocessed exactly as the service does.
 */
public final class Calibrator {
  private static final int BATCH = 32;

  private Calibrator() {}

  /**
   * Min and max of each point over {@code count} images of {@code set}, spread evenly over it (a class-sorted
   * set still gives every class its share).
   */
  public static Map<String, Quantizer.Range> ranges(Quantizer.Plan plan, ImageSet set, int count) {
    if (set.size() == 0 || count < 1) {
      throw new IllegalArgumentException("calibration needs at least one image");
    }
    int n = Math.min(count, set.size());
    Preprocessing p = set.preprocessing();
    int size = p.tensorSize();
    Map<String, Quantizer.Range> ranges = new LinkedHashMap<>();
    Set<String> wanted = new HashSet<>(plan.points());
    wanted.remove(ModelInfo.INPUT);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
         OrtSession session = env.createSession(plan.calibrationModel().toByteArray(), options)) {
      float[] x = new float[BATCH * size];
      Random unused = new Random(0);
      for (int from = 0; from < n; from += BATCH) {
        int b = Math.min(BATCH, n - from);
        for (int i = 0; i < b; i++) {
          set.write((int) ((long) (from + i) * set.size() / n), x, i * size, Optional.empty(), unused);
        }
        long[] shape = {b, p.channels(), p.height(), p.width()};
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x, 0, b * size), shape);
             OrtSession.Result result = session.run(Map.of(ModelInfo.INPUT, in), wanted)) {
          for (String point : plan.points()) {
            observe(ranges, point, point.equals(ModelInfo.INPUT) ? FloatBuffer.wrap(x, 0, b * size) : values(result, point));
          }
        }
      }
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime could not run the calibration graph: " + e.getMessage(), e);
    }
    return ranges;
  }

  private static FloatBuffer values(OrtSession.Result result, String name) {
    Optional<OnnxValue> v = result.get(name);
    if (v.isEmpty() || !(v.get() instanceof OnnxTensor t)) {
      throw new IllegalStateException("calibration graph has no output " + name);
    }
    return t.getFloatBuffer();
  }

  private static void observe(Map<String, Quantizer.Range> ranges, String point, FloatBuffer values) {
    float lo = Float.POSITIVE_INFINITY;
    float hi = Float.NEGATIVE_INFINITY;
    while (values.hasRemaining()) {
      float v = values.get();
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    Quantizer.Range seen = new Quantizer.Range(lo, hi);
    ranges.merge(point, seen, (a, b) -> a.union(b.min(), b.max()));
  }

}
