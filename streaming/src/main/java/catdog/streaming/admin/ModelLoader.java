package catdog.streaming.admin;

import catdog.streaming.inference.BatchResult;
import catdog.streaming.inference.InferenceSettings;
import catdog.streaming.inference.ModelInfo;
import catdog.streaming.inference.OnnxModel;
import catdog.streaming.inference.OnnxModel.LoadResult;
import java.util.Optional;

/** The blocking part of a swap: load, check, warm up. Runs on the blocking dispatcher, never on the actor. */
final class ModelLoader {
  private ModelLoader() {}

  static LoadResult load(ModelSource source, InferenceSettings settings) {
    LoadResult result = source instanceof ModelSource.Bytes b
        ? OnnxModel.load(b.onnx(), settings)
        : OnnxModel.load(((ModelSource.File) source).path(), settings);
    if (!(result instanceof LoadResult.Loaded loaded)) {
      return result;
    }
    OnnxModel model = loaded.model();
    if (model.warmUp() instanceof BatchResult.Failed failed) {
      model.close();
      return new LoadResult.Refused("warm-up failed: " + failed.reason());
    }
    return result;
  }

  /**
   * Why a candidate cannot replace the serving model, or empty. Images already in the pipeline were
   * preprocessed for the serving model, and predictions are decoded with its labels, so both must stay.
   */
  static Optional<String> misfit(ModelInfo candidate, ModelInfo serving) {
    if (!candidate.preprocessing().equals(serving.preprocessing())) {
      return Optional.of(candidate.id() + " expects " + candidate.preprocessing() + " but the service feeds " + serving.preprocessing()
          + " (from " + serving.id() + "); a new input format needs a restart with the new model");
    }
    if (candidate.labels().size() != serving.labels().size()) {
      return Optional.of(candidate.id() + " has " + candidate.labels().size() + " labels " + candidate.labels() + " but the service serves "
          + serving.labels().size() + " " + serving.labels());
    }
    return Optional.empty();
  }
}
