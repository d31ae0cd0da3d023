package catdog.trainer.cli;

import catdog.trainer.model.ModelSpec;
import catdog.trainer.model.TrainingDefaults;
import catdog.trainer.train.Distillation;
import catdog.trainer.train.Network;
import catdog.trainer.train.TrainConfig;
import catdog.trainer.train.TrainingRun;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code catdog train}: trains a named model, with a checkpoint and a metrics row after every epoch. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Trains a model with DJL's PyTorch engine, offline.",
        "Writes OUT/checkpoints/epoch-NNN.ckpt and a metrics.csv row after each epoch, curves.png, final.ckpt and model.onnx."})
public final class TrainCommand implements Callable<Integer> {
  @Option(names = "--model", completionCandidates = ModelNames.class,
      description = "one of: ${COMPLETION-CANDIDATES}")
  String model;

  @Option(names = "--data", description = "training images: cat.N.jpg/dog.N.jpg, class sub-folders, or IDX files")
  Path data;

  @Option(names = "--val", description = "validation images (default: a seeded --val-fraction of --data; the t10k files for IDX)")
  Path val;

  @Option(names = "--val-fraction", defaultValue = "0.1", description = "share held out when there is no --val (default ${DEFAULT-VALUE})")
  double valFraction;

  @Option(names = "--epochs", description = "default: the model's")
  Integer epochs;

  @Option(names = "--batch-size", description = "default: the model's")
  Integer batchSize;

  @Option(names = "--lr", description = "Adam's learning rate; default: the model's")
  Float lr;

  @Option(names = "--weight-decay", description = "decoupled weight decay on weights; default: the model's")
  Float weightDecay;

  @Option(names = "--augment", negatable = true, description = "random resized crop, flip, colour jitter; default: the model's")
  Boolean augment;

  @Option(names = "--schedule", defaultValue = "constant", description = "constant | cosine (one warm-up epoch, then cosine to 0)")
  String schedule;

  @Option(names = "--seed", defaultValue = "42", description = "makes the run reproducible (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--init", defaultValue = "xavier", description = "xavier | kaiming | normal (default ${DEFAULT-VALUE})")
  String init;

  @Option(names = "--teacher", description = "distil from this exported .onnx model (same labels and preprocessing)")
  Path teacher;

  @Option(names = "--distill-weight", defaultValue = "0.7", description = "the teacher's share of the loss (default ${DEFAULT-VALUE})")
  float distillWeight;

  @Option(names = "--distill-temperature", defaultValue = "3", description = "softens the teacher's probabilities (default ${DEFAULT-VALUE})")
  float distillTemperature;

  @Option(names = "--init-from", description = "start from this trained float .onnx model with the same layers (narrower layers "
      + "keep its channels of largest batch-norm scale) instead of random weights")
  Path initFrom;

  @Option(names = "--out", description = "output directory")
  Path out;

  @Option(names = "--resume", description = "continue the run in this directory from its last checkpoint")
  Path resume;

  @Option(names = "--threads", description = "PyTorch intra-op threads (default: all cores)")
  Integer threads;

  @Option(names = "--no-progress", description = "no progress bar (for logs)")
  boolean noProgress;

  @Override
  public Integer call() throws Exception {
    Threads.configure(threads);
    TrainConfig cfg;
    if (resume != null) {
      if (out != null && !out.toAbsolutePath().normalize().equals(resume.toAbsolutePath().normalize())) {
        throw new IllegalArgumentException("--resume continues in its own directory; drop --out or make it the same");
      }
      Optional<TrainConfig> saved = TrainingRun.resumable(resume);
      if (saved.isEmpty()) {
        throw new IllegalArgumentException(resume + " has no checkpoint to resume from");
      }
      cfg = saved.get();
      if (epochs != null) {
        cfg = cfg.withEpochs(epochs);
      }
    } else {
      if (model == null || data == null || out == null) {
        throw new IllegalArgumentException("train needs --model, --data and --out (or --resume DIR)");
      }
      ModelSpec spec = ModelSpec.require(model);
      TrainingDefaults d = spec.defaults();
      cfg = new TrainConfig(spec, data, Optional.ofNullable(val), valFraction, or(epochs, d.epochs()), or(batchSize, d.batchSize()),
          or(lr, d.learningRate()), or(weightDecay, d.weightDecay()), or(augment, d.augment()), TrainConfig.Schedule.parse(schedule),
          seed, Network.Init.parse(init), out,
          Optional.ofNullable(teacher).map(t -> new Distillation(t, distillWeight, distillTemperature)), Optional.ofNullable(initFrom));
    }
    System.out.println("training " + cfg.spec().name() + " (" + cfg.spec().description() + ") -> " + cfg.out());
    System.out.printf("  epochs %d, batch %d, lr %s (%s), weight decay %s, augment %s, init %s, seed %d, threads %d%n", cfg.epochs(),
        cfg.batchSize(), cfg.learningRate(), cfg.schedule(), cfg.weightDecay(), cfg.augment(), cfg.init(), cfg.seed(), Threads.current());
    cfg.initFrom().ifPresent(p -> System.out.println("  starting from " + p));
    if (resume == null) {
      fromScratchWarning(cfg.spec(), cfg.initFrom()).ifPresent(System.out::println);
    }
    cfg.distillation().ifPresent(d -> System.out.printf("  distilled from %s, weight %s, temperature %s%n", d.teacher(), d.weight(),
        d.temperature()));
    TrainingRun.Result result = new TrainingRun(cfg, System.out, !noProgress).run(resume != null);
    try (Network trained = result.network()) {
      System.out.printf("done: val accuracy %.4f after %d epochs; parameters in %s, exported to %s%n", result.valAccuracy(),
          result.metrics().size(), cfg.out().resolve("final.ckpt"), cfg.out().resolve("model.onnx"));
    }
    return 0;
  }

  /**
   * A pruned model trained without {@code --init-from} starts from random weights, and its defaults are a
   * fine-tuning run's: allowed, for whoever wants it from scratch, but never by accident.
   */
  static Optional<String> fromScratchWarning(ModelSpec spec, Optional<Path> initFrom) {
    return spec.prunedFrom().filter(source -> initFrom.isEmpty()).map(source -> String.format(
        "  warning: %s is meant to start from %s's trained weights (--init-from deploy/models/%s.onnx); without --init-from "
            + "it trains from random weights, for which its defaults (%d epochs at %s) are a fine-tuning run's, far too short",
        spec.name(), source, source, spec.defaults().epochs(), spec.defaults().learningRate()));
  }

  private static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }
}
