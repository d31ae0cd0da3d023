package catdog.trainer.train;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Knowledge distillation: the student also learns the teacher's softened probabilities on the same augmented
 * batch, so that a cheaper network is taught where the bigger one is sure and where it hesitates, not only
 * the 0/1 label. The loss is {@code (1 - weight) * CE(label, s) + weight * T^2 * CE(softmax(t / T), softmax(s / T))};
 * the {@code T^2} keeps the soft term's gradients on the hard term's scale (Hinton et al., 2015).
 *
 * @param teacher an exported {@code .onnx} model with the student's labels and preprocessing, run by ONNX Runtime
 * @param weight the soft term's share of the loss, in [0, 1]
 * @param temperature how much the teacher's probabilities are softened, at least 1
 */
public record Distillation(Path teacher, float weight, float temperature) {
  static final String TEACHER = "distill_teacher";
  static final String WEIGHT = "distill_weight";
  static final String TEMPERATURE = "distill_temperature";

  public Distillation {
    if (!teacher.getFileName().toString().endsWith(".onnx")) {
      throw new IllegalArgumentException("the teacher must be an exported .onnx model, not " + teacher);
    }
    if (!(weight >= 0 && weight <= 1) || !(temperature >= 1)) {
      throw new IllegalArgumentException("need a distillation weight in [0, 1] and a temperature >= 1");
    }
  }

  /**
   * The teacher's probabilities softened by the temperature, {@code p_i^(1/T)} normalised per row: the same
   * as {@code softmax(logits / T)}, computed from the probabilities the exported graph outputs. A probability
   * that underflowed to 0 is taken as 1e-30 so that its row stays finite.
   */
  float[] soften(float[][] probabilities) {
    int classes = probabilities[0].length;
    float[] out = new float[probabilities.length * classes];
    for (int r = 0; r < probabilities.length; r++) {
      double max = Double.NEGATIVE_INFINITY;
      double[] logs = new double[classes];
      for (int c = 0; c < classes; c++) {
        logs[c] = Math.log(Math.max(probabilities[r][c], 1e-30)) / temperature;
        max = Math.max(max, logs[c]);
      }
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        logs[c] = Math.exp(logs[c] - max);
        sum += logs[c];
      }
      for (int c = 0; c < classes; c++) {
        out[r * classes + c] = (float) (logs[c] / sum);
      }
    }
    return out;
  }

  void writeTo(Map<String, String> header) {
    header.put(TEACHER, teacher.toAbsolutePath().normalize().toString());
    header.put(WEIGHT, Float.toString(weight));
    header.put(TEMPERATURE, Float.toString(temperature));
  }

  static Optional<Distillation> readFrom(Map<String, String> header) {
    return Optional.ofNullable(header.get(TEACHER)).map(t -> new Distillation(Path.of(t), Float.parseFloat(header.get(WEIGHT)),
        Float.parseFloat(header.get(TEMPERATURE))));
  }
}
