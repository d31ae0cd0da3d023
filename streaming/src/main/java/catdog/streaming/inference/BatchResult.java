package catdog.streaming.inference;

/** The outcome of scoring one batch: a row of class probabilities per image, or why the batch failed. */
public sealed interface BatchResult {

  /** {@code probabilities[i][c]}: image {@code i} of the batch, class {@code c} in the model's label order. */
  record Scored(float[][] probabilities) implements BatchResult {}

  /** ONNX Runtime refused or failed the run; no row of the batch was scored. */
  record Failed(String reason) implements BatchResult {}
}
