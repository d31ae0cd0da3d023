package catdog.trainer.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import catdog.streaming.inference.ImageLimits;
import catdog.streaming.inference.ImagePreprocessor;
import catdog.trainer.data.Augmentation;
import catdog.trainer.data.Datasets;
import catdog.trainer.data.ImageSet;
import catdog.trainer.export.OnnxExporter;
import catdog.trainer.export.Provenance;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.stream.IntStream;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * One training run: data in memory, then per epoch a shuffled pass with a progress bar, a validation
 * pass, a checkpoint and a metrics row. Each epoch is seeded from the run's seed and its number, so a
 * resumed run draws the same batches, crops and dropout masks as one that was never interrupted.
 */
public final class TrainingRun {
  private static final Loss LOSS = Loss.softmaxCrossEntropyLoss();
  private static final int EVAL_BATCH = 256;

  private final TrainConfig cfg;
  private final PrintStream out;
  private final boolean progressBar;

  /** What a finished run leaves: the trained network (caller closes it) and the metrics of every epoch. */
  public record Result(Network network, List<EpochMetrics> metrics, Datasets.Split data) {
    public double valAccuracy() {
      return metrics.get(metrics.size() - 1).valAccuracy();
    }
  }

  public TrainingRun(TrainConfig cfg, PrintStream out, boolean progressBar) {
    this.cfg = cfg;
    this.out = out;
    this.progressBar = progressBar;
  }

  /** The configuration of the run in {@code dir}, read from its last checkpoint, for {@code --resume}. */
  public static Optional<TrainConfig> resumable(Path dir) throws IOException {
    Optional<Path> last = Checkpoints.latestEpoch(dir);
    if (last.isEmpty()) {
      return Optional.empty();
    }
    try (NDManager m = NDManager.newBaseManager()) {
      return Optional.of(TrainConfig.fromHeader(Checkpoint.read(last.get(), m).header(), dir));
    }
  }

  /** Trains from scratch, or from the last checkpoint in {@code cfg.out()} when {@code resume}. */
  public Result run(boolean resume) throws IOException {
    Files.createDirectories(cfg.out().resolve("checkpoints"));
    ImagePreprocessor pre = new ImagePreprocessor(cfg.spec().preprocessing(), ImageLimits.defaults());
    long t0 = System.nanoTime();
    Datasets.Split split = Datasets.open(cfg.data(), cfg.val(), cfg.valFraction(), cfg.seed(), pre, cfg.augment());
    out.printf(Locale.ROOT, "data: %s, decoded in %.1f s%n  train: %s%n  val:   %s%n", split.source(), (System.nanoTime() - t0) / 1e9,
        split.train().describe(), split.val().describe());
    if (split.train().classes().size() != cfg.spec().classes()) {
      throw new IllegalArgumentException(cfg.data() + " has classes " + split.train().classes() + " but " + cfg.spec().name()
          + " predicts " + cfg.spec().labels());
    }
    Engine.getInstance().setRandomSeed((int) cfg.seed());
    Network net = Network.create(cfg.spec(), cfg.init());
    Optional<Teacher> teacher = Optional.empty();
    try {
      if (cfg.initFrom().isPresent() && !resume) {
        out.println("init: " + Transplant.apply(net.block(), cfg.initFrom().get()));
      }
      if (cfg.distillation().isPresent()) {
        teacher = Optional.of(Teacher.open(cfg.distillation().get(), cfg.spec(), cfg.batchSize()));
        out.println("teacher: " + teacher.get().describe());
      }
      AdamW adam = new AdamW(net.manager(), cfg.weightDecay());
      List<EpochMetrics> rows = new ArrayList<>();
      if (resume) {
        Path last = Checkpoints.latestEpoch(cfg.out()).orElseThrow(() -> new IOException("nothing to resume in " + cfg.out()));
        Checkpoint ckpt = Checkpoint.read(last, net.manager());
        ckpt.loadInto(net.block());
        adam.restore(ckpt.tensors(), Long.parseLong(ckpt.require("adam_steps")));
        rows.addAll(parseRows(ckpt.require("metrics")));
        out.printf("resuming %s from %s (epoch %d of %d)%n", cfg.spec().name(), last, ckpt.epoch(), cfg.epochs());
      }
      EpochMetrics.write(cfg.out().resolve("metrics.csv"), rows);
      for (int epoch = rows.size() + 1; epoch <= cfg.epochs(); epoch++) {
        EpochMetrics m = epoch(net, adam, split, epoch, teacher);
        rows.add(m);
        out.printf(Locale.ROOT, "epoch %d/%d: train loss %.4f acc %.4f | val loss %.4f acc %.4f | %.1f s%n", epoch, cfg.epochs(),
            m.trainLoss(), m.trainAccuracy(), m.valLoss(), m.valAccuracy(), m.seconds());
        Map<String, NDArray> tensors = Checkpoint.parameters(net.block());
        tensors.putAll(adam.state());
        new Checkpoint(header(epoch, adam, rows), tensors).write(Checkpoints.epochFile(cfg.out(), epoch));
        EpochMetrics.append(cfg.out().resolve("metrics.csv"), m);
        Checkpoints.prune(cfg.out());
        Curves.write(cfg.out().resolve("curves.png"), cfg.spec().name(), rows);
      }
      new Checkpoint(header(rows.size(), adam, rows), Checkpoint.parameters(net.block())).write(cfg.out().resolve(Checkpoints.FINAL));
      Result result = new Result(net, rows, split);
      export(result);
      return result;
    } catch (IOException | RuntimeException e) {
      net.close();
      throw e;
    } finally {
      teacher.ifPresent(Teacher::close);
    }
  }

  /** model.onnx: what the service loads, with the preprocessing and provenance in its metadata. */
  private void export(Result result) throws IOException {
    String val = cfg.val().map(TrainingRun::tail)
        .orElse(Datasets.isIdx(cfg.data()) ? "t10k" : "a held-out " + cfg.valFraction() + " (seed " + cfg.seed() + ")");
    String data = String.format(Locale.ROOT, "%s (%d images), val %s (%d images)", tail(cfg.data()), result.data().train().size(), val,
        result.data().val().size());
    Provenance provenance = Provenance.now(data, OptionalDouble.of(result.valAccuracy()), result.metrics().size());
    OnnxExporter.write(OnnxExporter.export(result.network().block(), cfg.spec(), provenance), cfg.out().resolve("model.onnx"));
  }

  /** The last two parts of a path, e.g. catsdogs/train: enough to say what it was without this machine's layout. */
  private static String tail(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    int n = abs.getNameCount();
    return n >= 2 ? abs.subpath(n - 2, n).toString() : abs.toString();
  }

  /** One pass over the training set; {@code trainLoss} is the hard-label loss also when distilling, to compare runs. */
  private EpochMetrics epoch(Network net, AdamW adam, Datasets.Split split, int epoch, Optional<Teacher> teacher) {
    long start = System.nanoTime();
    ImageSet train = split.train();
    int n = train.size();
    int batches = (n + cfg.batchSize() - 1) / cfg.batchSize();
    if (n % cfg.batchSize() == 1) {
      batches--; // a batch of one breaks batch norm's statistics; its image comes back next epoch
    }
    List<Integer> order = new ArrayList<>(IntStream.range(0, n).boxed().toList());
    java.util.Collections.shuffle(order, new Random(cfg.seed() * 1_000_003L + epoch));
    Engine.getInstance().setRandomSeed((int) (cfg.seed() * 31 + epoch));
    Optional<Augmentation> aug = cfg.augment() ? Optional.of(Augmentation.standard()) : Optional.empty();
    int size = cfg.spec().preprocessing().tensorSize();
    float[] x = new float[cfg.batchSize() * size];
    long[] y = new long[cfg.batchSize()];
    double lossSum = 0;
    long correct = 0;
    int seen = 0;
    try (ProgressBar pb = progressBar(epoch, batches)) {
      for (int b = 0; b < batches; b++) {
        int from = b * cfg.batchSize();
        int count = Math.min(cfg.batchSize(), n - from);
        IntStream.range(0, count).parallel().forEach(i -> {
          int idx = order.get(from + i);
          train.write(idx, x, i * size, aug, new Random(cfg.seed() ^ ((long) epoch << 40) ^ (idx * 0x9E3779B97F4A7C15L)));
          y[i] = train.label(idx);
        });
        float lr = cfg.schedule().rate(cfg.learningRate(), adam.steps(), batches, (long) batches * cfg.epochs());
        try (NDManager scope = net.manager().newSubManager()) {
          NDArray labels = scope.create(java.util.Arrays.copyOf(y, count), new Shape(count));
          Optional<NDArray> soft = teacher.map(t -> t.softTargets(scope, x, count));
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray logits = net.logits(scope, x, count, true);
            NDArray loss = LOSS.evaluate(new NDList(labels), new NDList(logits));
            gc.backward(teacher.isPresent() ? teacher.get().loss(loss, logits, soft.get()) : loss);
            lossSum += loss.getFloat() * count;
            correct += logits.argMax(1).eq(labels).toType(DataType.INT64, false).sum().getLong();
          }
          adam.step(net.block().getParameters(), lr);
        }
        seen += count;
        pb.step();
        pb.setExtraMessage(String.format(Locale.ROOT, " loss %.4f acc %.3f lr %.2g", lossSum / seen, (double) correct / seen, lr));
      }
    }
    double[] val = evaluate(net, split.val());
    return new EpochMetrics(epoch, lossSum / seen, (double) correct / seen, val[0], val[1], (System.nanoTime() - start) / 1e9);
  }

  /** Mean loss and accuracy over {@code set}, in inference mode. */
  static double[] evaluate(Network net, ImageSet set) {
    int size = net.spec().preprocessing().tensorSize();
    float[] x = new float[EVAL_BATCH * size];
    Random unused = new Random(0);
    double lossSum = 0;
    long correct = 0;
    for (int from = 0; from < set.size(); from += EVAL_BATCH) {
      int count = Math.min(EVAL_BATCH, set.size() - from);
      long[] y = new long[count];
      for (int i = 0; i < count; i++) {
        set.write(from + i, x, i * size, Optional.empty(), unused);
        y[i] = set.label(from + i);
      }
      try (NDManager scope = net.manager().newSubManager()) {
        NDArray labels = scope.create(y, new Shape(count));
        NDArray logits = net.logits(scope, x, count, false);
        lossSum += LOSS.evaluate(new NDList(labels), new NDList(logits)).getFloat() * count;
        correct += logits.argMax(1).eq(labels).toType(DataType.INT64, false).sum().getLong();
      }
    }
    return new double[] {lossSum / Math.max(1, set.size()), (double) correct / Math.max(1, set.size())};
  }

  private ProgressBar progressBar(int epoch, int batches) {
    ProgressBarBuilder builder = new ProgressBarBuilder();
    if (!progressBar) {
      builder.setConsumer(new DelegatingProgressBarConsumer(line -> {}));
    }
    return builder.setTaskName(String.format("epoch %d/%d", epoch, cfg.epochs())).setInitialMax(batches)
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000).setMaxRenderedLength(110).build();
  }

  private Map<String, String> header(int epoch, AdamW adam, List<EpochMetrics> rows) {
    Map<String, String> h = cfg.header();
    h.put(Checkpoint.EPOCH, Integer.toString(epoch));
    h.put(Checkpoint.LABELS, String.join("\n", cfg.spec().labels()));
    h.put("adam_steps", Long.toString(adam.steps()));
    h.put("val_accuracy", rows.isEmpty() ? "" : Double.toString(rows.get(rows.size() - 1).valAccuracy()));
    StringBuilder csv = new StringBuilder();
    rows.forEach(r -> csv.append(r.csv()).append('\n'));
    h.put("metrics", csv.toString());
    return h;
  }

  private static List<EpochMetrics> parseRows(String csv) {
    return csv.lines().filter(l -> !l.isBlank()).map(EpochMetrics::parse).toList();
  }
}
