package catdog.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import catdog.streaming.inference.BatchResult;
import catdog.streaming.inference.InferenceSettings;
import catdog.streaming.inference.OnnxModel;
import catdog.trainer.model.ModelSpec;
import java.io.IOException;

/**
 * The teacher of a distilled run: its ONNX model in ONNX Runtime on every core, asked for the softened
 * probabilities of each training batch as the student sees it (after augmentation). Batches run one after
 * the other, so the teacher and PyTorch never compete for the cores.
 */
final class Teacher implements AutoCloseable {
  private final Distillation distillation;
  private final OnnxModel model;

  private Teacher(Distillation distillation, OnnxModel model) {
    this.distillation = distillation;
    this.model = model;
  }

  /** Opens the teacher, refusing one whose labels or preprocessing differ from the student's. */
  static Teacher open(Distillation distillation, ModelSpec student, int batchSize) throws IOException {
    InferenceSettings allCores = new InferenceSettings(0, InferenceSettings.Optimization.ALL, true, InferenceSettings.Provider.CPU, 0,
        batchSize);
    OnnxModel.LoadResult loaded = OnnxModel.load(distillation.teacher(), allCores);
    if (loaded instanceof OnnxModel.LoadResult.Refused refused) {
      throw new IOException("teacher " + distillation.teacher() + " refused: " + refused.reason());
    }
    OnnxModel model = ((OnnxModel.LoadResult.Loaded) loaded).model();
    if (!model.info().labels().equals(student.labels()) || !model.info().preprocessing().equals(student.preprocessing())) {
      String what = model.info().id() + " (labels " + model.info().labels() + ", " + model.info().preprocessing() + ")";
      model.close();
      throw new IllegalArgumentException("teacher " + what + " does not see images as " + student.name() + " does (labels "
          + student.labels() + ", " + student.preprocessing() + ")");
    }
    return new Teacher(distillation, model);
  }

  String describe() {
    return model.info().id();
  }

  /** The soft targets {@code [n, classes]} for the first {@code n} images of {@code batch}, attached to {@code scope}. */
  NDArray softTargets(NDManager scope, float[] batch, int n) {
    BatchResult r = model.run(batch, n);
    if (r instanceof BatchResult.Failed failed) {
      throw new IllegalStateException("teacher failed on a training batch: " + failed.reason());
    }
    float[][] p = ((BatchResult.Scored) r).probabilities();
    return scope.create(distillation.soften(p), new Shape(n, p[0].length));
  }

  /** The distillation loss of {@code logits} given the hard {@code labels}' loss and the teacher's soft targets. */
  NDArray loss(NDArray hardLoss, NDArray logits, NDArray softTargets) {
    float t = distillation.temperature();
    NDArray soft = logits.div(t).logSoftmax(1).mul(softTargets).sum(new int[] {1}).neg().mean().mul(t * t);
    return hardLoss.mul(1 - distillation.weight()).add(soft.mul(distillation.weight()));
  }

  @Override
  public void close() {
    model.close();
  }
}
