package catdog.cli.bench;

import catdog.broker.BrokerSettings;
import catdog.broker.EmbeddedKafka;
import catdog.cli.serve.ServiceConfig;
import catdog.cli.support.CatdogHome;
import catdog.streaming.Settings;
import catdog.streaming.inference.ImageLimits;
import catdog.streaming.inference.ImagePreprocessor;
import catdog.streaming.inference.InferenceSettings;
import catdog.streaming.inference.OnnxModel;
import catdog.streaming.pipeline.PipelineBenchmark;
import com.typesafe.config.Config;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code catdog bench}: decode, inference, end-to-end and naive throughput on this machine, in one run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Measure decode, inference, end-to-end and naive throughput on this machine in one run.",
        "Uses the service's own decoder and ONNX Runtime settings. Prints a table; --json writes the figures."})
public final class BenchCommand implements Callable<Integer> {
  private static final int[] BATCHES = {1, 8, 32, 128, 256};

  @Spec CommandSpec spec;

  @Option(names = "--quick", description = "Short windows and fewer records: under 2 minutes, for CI.")
  boolean quick;

  @Option(names = "--json", paramLabel = "FILE", description = "Write the figures as JSON.")
  Path json;

  @Option(names = "--model", paramLabel = "FILE",
      description = "ONNX model (default: deploy/models/catdog-mini-s4.onnx, else catdog.onnx, else catdog-seed.onnx).")
  Path model;

  @Option(names = "--images", paramLabel = "DIR",
      description = "200×200 images (default: ../shared/data/catsdogs/val, else deploy/samples).")
  Path smallImages;

  @Option(names = "--full-images", paramLabel = "DIR",
      description = "Full-size photos (default: ../shared/data/catsdogs/fullsize, else the small ones upscaled to 450×375).")
  Path fullImages;

  @Option(names = "--config", paramLabel = "FILE", description = "Service settings to benchmark (default: reference.conf).")
  Path configFile;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path modelFile = CatdogHome.modelOrShipped(model);
    Config config = ServiceConfig.of(Optional.ofNullable(configFile), Map.of(ServiceConfig.MODEL, modelFile.toString()));
    BenchImages small = BenchImages.load(firstDir(smallImages, "../shared/data/catsdogs/val", "deploy/samples"), 500);
    Optional<Path> fullDir = Optional.ofNullable(fullImages).or(() -> existingDir("../shared/data/catsdogs/fullsize"));
    BenchImages full = fullDir.map(d -> BenchImages.load(d, 600)).orElseGet(() -> BenchImages.upscaled(small));
    Duration warmUp = quick ? Duration.ofMillis(500) : Duration.ofSeconds(2);
    Duration window = quick ? Duration.ofMillis(500) : Duration.ofSeconds(2);
    int cores = Runtime.getRuntime().availableProcessors();
    // Other processes on the machine share the cores: the load average says how much the figures suffered.
    double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    out.printf("bench: %s, %d cores, %s; 200px: %s (%d), full: %s (%d)%n", modelFile.getFileName(), cores,
        quick ? "quick" : "full", small.source(), small.images().size(), full.source(), full.images().size());
    out.flush();

    BenchReport report = new BenchReport();
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("model", modelFile.getFileName().toString());
    context.put("cores", cores);
    context.put("mode", quick ? "quick" : "full");
    context.put("images_200px", small.source());
    context.put("images_full", full.source());
    context.put("java", System.getProperty("java.version"));
    context.put("load_average_before", loadBefore);
    InferenceSettings inference = inferenceSettings(config);
    ImageLimits limits = new ImageLimits(config.getInt("catdog.decode.max-bytes"), config.getLong("catdog.decode.max-pixels"));
    try (OnnxModel onnx = load(modelFile, inference)) {
      ImagePreprocessor preprocessor = new ImagePreprocessor(onnx.info().preprocessing(), limits);
      // Like decode_all, inference is measured on every core: runs side by side, each with the service's
      // intra-op threads, so that cpu_bound is the CPU work per image spread over the whole machine.
      int inferThreads = inference.intraOpThreads() == 0 ? 1 : Math.max(1, cores / inference.intraOpThreads());
      StageBench stages = new StageBench(preprocessor, onnx, inferThreads, warmUp, window);
      report.put("decode_1t_200px", stages.decode("decode_1t_200px", small, 1), "decode + preprocess, 1 thread, 200x200");
      report.put("decode_all_200px", stages.decode("decode_all_200px", small, cores), "decode + preprocess, " + cores
          + " threads, 200x200");
      report.put("decode_1t_full", stages.decode("decode_1t_full", full, 1), "decode + preprocess, 1 thread, full size");
      report.put("decode_all_full", stages.decode("decode_all_full", full, cores), "decode + preprocess, " + cores
          + " threads, full size");
      for (int batch : BATCHES) {
        report.put("infer_b" + batch, stages.infer("infer_b" + batch, small, batch), "ONNX Runtime, batches of " + batch + ", " + inferThreads
            + " x " + (inference.intraOpThreads() == 0 ? "all" : inference.intraOpThreads()) + " intra-op threads");
      }
      progress(out, "stages done; end to end next");
      // The full run measures the steady state. For its first minute a fresh JVM spends a quarter to a third of
      // the two cores compiling the broker, Kafka client, Akka and protobuf code, which the stage benches' warm-up
      // does not reach; so the service answers warm-up rounds of 4000 events until two in a row pass with the JIT
      // under 5% of a core (at most 20 rounds), and then three timed rounds. The naive loop is timed from a quarter of
      // its records on, three times after one untimed run. Every figure is a median of three; with --quick, end to
      // end, naive and pipeline run once.
      EndToEndBench.Plan plan = quick
          ? new EndToEndBench.Plan(0, 0, 0, 600, 1, Duration.ofMinutes(2))
          : new EndToEndBench.Plan(4000, 20, 0.05, 8000, 3, Duration.ofMinutes(10));
      int naiveCount = quick ? 150 : 1000;
      int naiveRuns = quick ? 1 : 3;
      Map<String, List<Double>> windows = new LinkedHashMap<>(stages.windows());
      try (EmbeddedKafka kafka = EmbeddedKafka.start(BrokerSettings.ephemeral(3))) {
        EndToEndBench.Result e2e = EndToEndBench.run(kafka, config, full, plan);
        context.put("e2e_warm_up_rounds", e2e.warmUpRounds());
        context.put("e2e_warm_up_events", e2e.warmUpRounds() * plan.warmUpEvents());
        context.put("e2e_warm_up_jit_cores_last_round", e2e.warmUpJitCores());
        context.put("e2e_jit_cores", e2e.timedJitCores());
        context.put("e2e_answered_when_published", e2e.answeredWhenPublished());
        progress(out, String.format("end to end: %d warm-up rounds of %d events (JIT at %.1f%% of a core in the last), then %d"
            + " x %d timed (JIT at %.1f%%)", e2e.warmUpRounds(), plan.warmUpEvents(), 100 * e2e.warmUpJitCores(), plan.timedRounds(),
            plan.timedEvents(), 100 * e2e.timedJitCores()));
        windows.put("e2e", e2e.rates());
        report.put("e2e", e2e.rate(), "broker + service, default settings, full size"
            + (plan.maxWarmUpRounds() > 0 ? ", warmed up until the JIT was quiet" : ""));
        kafka.createTopics("bench-naive-predictions");
        List<Double> naive = new ArrayList<>();
        // Like the service's warm-up rounds, one untimed run first: the naive loop's own code (ImageIO's reader,
        // the synchronous client calls) is not what end to end compiled, and in a fresh JVM its first runs rose
        // 208, 227, 243, 249 images/s before settling at 235-250.
        for (int run = quick ? 0 : -1; run < naiveRuns; run++) {
          double rate = NaiveClassifier.run(kafka.clientProperties(), EndToEndBench.IMAGES, "bench-naive-predictions",
              naiveCount, quick ? 0.1 : 0.25, onnx, preprocessor, plan.timeout());
          if (run >= 0) {
            naive.add(rate);
          }
        }
        context.put("naive_warm_up_runs", quick ? 0 : 1);
        windows.put("naive", naive);
        report.put("naive", Throughput.median(naive), "poll loop, ImageIO, batch 1, sync produce, commit per poll");
      }
      // The service's stream with its default settings but no Kafka: what the stream itself (batching, a task
      // per batch that decodes and scores it, building the predictions) loses against cpu_bound, apart from
      // broker and clients. After end to end, with the broker stopped: measured before it, in a JVM that had not
      // yet run the stream, three runs rose 462, 493, 533 while the JIT compiled.
      List<Double> pipeline = PipelineBenchmark.saturated(Settings.fromConfig(config), serviceSession(config), modelFile, full.images(),
          quick ? 300 : 3000, quick ? 1 : 3);
      windows.put("pipeline", pipeline);
      report.put("pipeline", Throughput.median(pipeline), "the service's stream fed from memory: no broker, consumer or producer");
      context.put("estimator", quick ? "stages: median of 3 windows; pipeline, e2e and naive: one run each" : "median of 3 measurements per figure");
      context.put("measurements", windows);
    }
    report.derive();
    report.printTable(out);
    if (json != null) {
      context.put("load_average_after", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      report.writeJson(json, context);
      out.println("bench: wrote " + json);
    }
    out.flush();
    return 0;
  }

  private static OnnxModel load(Path file, InferenceSettings settings) {
    OnnxModel.LoadResult result = OnnxModel.load(file, settings);
    if (result instanceof OnnxModel.LoadResult.Loaded loaded) {
      return loaded.model();
    }
    throw new IllegalStateException("model " + file + " refused: " + ((OnnxModel.LoadResult.Refused) result).reason());
  }

  /** The service's session settings, with room for the largest batch measured here. */
  static InferenceSettings inferenceSettings(Config config) {
    return serviceSession(config).withBatchCapacity(BATCHES[BATCHES.length - 1]);
  }

  private static InferenceSettings serviceSession(Config config) {
    return config.hasPath("catdog.inference")
        ? InferenceSettings.fromConfig(config.getConfig("catdog.inference")) : InferenceSettings.defaults();
  }

  private static void progress(PrintWriter out, String line) {
    out.println("bench: " + line);
    out.flush();
  }

  private static Path firstDir(Path given, String... candidates) {
    if (given != null) {
      return given;
    }
    for (String candidate : candidates) {
      Optional<Path> dir = existingDir(candidate);
      if (dir.isPresent()) {
        return dir.get();
      }
    }
    throw new IllegalStateException("none of " + String.join(", ", candidates) + " exists under " + CatdogHome.root());
  }

  private static Optional<Path> existingDir(String relative) {
    Path dir = CatdogHome.resolve(relative).normalize();
    return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
  }
}
