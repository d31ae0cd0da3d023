package catdog.trainer.train;

import catdog.trainer.model.ModelSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a training run depends on. It is written into every checkpoint, so that {@code --resume}
 * continues the same run and a model file says how it was made.
 *
 * @param valFraction share of the training files held out for validation when there is no {@code val}
 * @param schedule how the learning rate moves over the run
 * @param distillation a teacher whose softened probabilities the student also learns, when present
 * @param initFrom a trained model (exported float .onnx, same layers, as wide or wider) whose weights the run starts
 *     from instead of {@code init}'s; narrower layers keep its strongest channels
 */
public record TrainConfig(
    ModelSpec spec, Path data, Optional<Path> val, double valFraction, int epochs, int batchSize, float learningRate,
    float weightDecay, boolean augment, Schedule schedule, long seed, Network.Init init, Path out,
    Optional<Distillation> distillation, Optional<Path> initFrom) {

  private static final String INIT_FROM = "init_from";

  /** The learning rate over the run: fixed (the homework), or one warm-up epoch then a cosine decay to zero. */
  public enum Schedule {
    CONSTANT, COSINE;

    float rate(float base, long step, long stepsPerEpoch, long totalSteps) {
      if (this == CONSTANT) {
        return base;
      }
      if (step < stepsPerEpoch) {
        return base * (step + 1) / stepsPerEpoch;
      }
      double progress = (double) (step - stepsPerEpoch) / Math.max(1, totalSteps - stepsPerEpoch);
      return (float) (base * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress))));
    }

    public static Schedule parse(String s) {
      return valueOf(s.toUpperCase(Locale.ROOT));
    }
  }

  public TrainConfig {
    if (epochs < 1 || batchSize < 2 || !(learningRate > 0) || weightDecay < 0) {
      throw new IllegalArgumentException("need epochs >= 1, batch size >= 2, learning rate > 0 and weight decay >= 0");
    }
  }

  /** The checkpoint header form. */
  Map<String, String> header() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put(Checkpoint.MODEL, spec.name());
    h.put("data", data.toAbsolutePath().normalize().toString());
    val.ifPresent(v -> h.put("val", v.toAbsolutePath().normalize().toString()));
    h.put("val_fraction", Double.toString(valFraction));
    h.put("epochs", Integer.toString(epochs));
    h.put("batch_size", Integer.toString(batchSize));
    h.put("learning_rate", Float.toString(learningRate));
    h.put("weight_decay", Float.toString(weightDecay));
    h.put("augment", Boolean.toString(augment));
    h.put("schedule", schedule.name().toLowerCase(Locale.ROOT));
    h.put("seed", Long.toString(seed));
    h.put("init", init.name().toLowerCase(Locale.ROOT));
    distillation.ifPresent(d -> d.writeTo(h));
    initFrom.ifPresent(p -> h.put(INIT_FROM, p.toAbsolutePath().normalize().toString()));
    return h;
  }

  /** The configuration a checkpoint was trained with, writing to {@code out}. */
  static TrainConfig fromHeader(Map<String, String> h, Path out) {
    return new TrainConfig(ModelSpec.require(h.get(Checkpoint.MODEL)), Path.of(h.get("data")), Optional.ofNullable(h.get("val")).map(Path::of),
        Double.parseDouble(h.get("val_fraction")), Integer.parseInt(h.get("epochs")), Integer.parseInt(h.get("batch_size")),
        Float.parseFloat(h.get("learning_rate")), Float.parseFloat(h.get("weight_decay")), Boolean.parseBoolean(h.get("augment")),
        Schedule.parse(h.get("schedule")), Long.parseLong(h.get("seed")), Network.Init.parse(h.get("init")), out,
        Distillation.readFrom(h), Optional.ofNullable(h.get(INIT_FROM)).map(Path::of));
  }

  public TrainConfig withEpochs(int n) {
    return new TrainConfig(spec, data, val, valFraction, n, batchSize, learningRate, weightDecay, augment, schedule, seed, init, out,
        distillation, initFrom);
  }
}
