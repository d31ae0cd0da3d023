package catdog.streaming.admin;

import catdog.streaming.inference.BatchResult;
import catdog.streaming.inference.InferenceSettings;
import catdog.streaming.inference.ModelInfo;
import catdog.streaming.inference.OnnxModel;
import catdog.streaming.inference.OnnxModel.LoadResult;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The blocking part of a swap: load, check, warm up, gate. Runs on the blocking dispatcher, never on the
 * actor. A candidate that fails any step is closed here and never reaches the registry's state.
 */
final class ModelLoader {
  /** What the gates measured: golden-set accuracy (when a set is configured) and warm-up batch p99. */
  record Measures(Optional<Double> goldenAccuracy, double warmUpP99Millis) {}

  sealed interface Outcome {
    record Ready(OnnxModel model, Measures measures) implements Outcome {}

    record Refused(String reason) implements Outcome {}
  }

  private final InferenceSettings inference;
  private final AdminSettings.Gates gates;
  private final Optional<GoldenSet> golden;

  ModelLoader(InferenceSettings inference, AdminSettings.Gates gates) {
    this.inference = inference;
    this.gates = gates;
    this.golden = gates.goldenSet().map(GoldenSet::read);
  }

  /** @param servingAccuracy the serving model's golden-set accuracy, the bar for the candidate */
  Outcome load(ModelSource source, Optional<Double> servingAccuracy) {
    LoadResult result = source instanceof ModelSource.Bytes b
        ? OnnxModel.load(b.onnx(), inference)
        : OnnxModel.load(((ModelSource.File) source).path(), inference);
    if (result instanceof LoadResult.Refused refused) {
      return new Outcome.Refused(refused.reason());
    }
    OnnxModel model = ((LoadResult.Loaded) result).model();
    Outcome outcome = check(model, servingAccuracy);
    if (outcome instanceof Outcome.Refused) {
      model.close();
    }
    return outcome;
  }

  private Outcome check(OnnxModel model, Optional<Double> servingAccuracy) {
    long[] nanos = new long[gates.warmUpRuns()];
    for (int i = 0; i < nanos.length; i++) {
      long start = System.nanoTime();
      if (model.warmUp() instanceof BatchResult.Failed failed) {
        return new Outcome.Refused("warm-up failed: " + failed.reason());
      }
      nanos[i] = System.nanoTime() - start;
    }
    // The first run plans memory and is slower by design; it counts only when it is the only one.
    double p99 = p99(nanos.length > 1 ? Arrays.copyOfRange(nanos, 1, nanos.length) : nanos) / 1e6;
    long bound = gates.maxWarmUpP99().toNanos();
    if (bound > 0 && p99 * 1e6 > bound) {
      return new Outcome.Refused(String.format(Locale.ROOT, "warm-up p99 latency %.1f ms is over the bound of %d ms (batch of %d)", p99,
          gates.maxWarmUpP99().toMillis(), inference.batchCapacity()));
    }
    Optional<Double> accuracy = golden.map(g -> g.accuracy(model, inference.batchCapacity()));
    if (accuracy.isPresent() && servingAccuracy.isPresent() && accuracy.get() < servingAccuracy.get() - gates.accuracyTolerance()) {
      return new Outcome.Refused(String.format(Locale.ROOT,
          "golden-set accuracy %.3f is below the serving model's %.3f minus the tolerance %.3f (%d images)", accuracy.get(),
          servingAccuracy.get(), gates.accuracyTolerance(), golden.get().size()));
    }
    return new Outcome.Ready(model, new Measures(accuracy, p99));
  }

  static long p99(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[Math.max(0, (int) Math.ceil(sorted.length * 0.99) - 1)];
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
