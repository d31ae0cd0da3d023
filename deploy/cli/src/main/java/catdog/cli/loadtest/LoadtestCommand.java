package catdog.cli.loadtest;

import catdog.cli.produce.ImageFile;
import catdog.cli.produce.ImageFiles;
import catdog.cli.serve.LocalStack;
import catdog.cli.support.CatdogHome;
import catdog.cli.support.DurationConverter;
import catdog.cli.support.JitMeter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code catdog loadtest}: open-loop load, at one rate or a sweep, against a local or a remote service. */
@Command(name = "loadtest", mixinStandardHelpOptions = true,
    description = {"Open-loop load test at one rate or a sweep, with latency percentiles, JSON and plots.",
        "Events are scheduled at a constant rate and latency is measured from each event's scheduled time.",
        "Starts a broker and the service unless --bootstrap names a running cluster."})
public final class LoadtestCommand implements Callable<Integer> {
  private static final double FIRST_PROBE = 1.5;
  private static final double PROBE_STEP = 1.1;
  /** At least this many probes, and more while the last one kept up with its offer, up to {@link #MAX_PROBES}. */
  private static final int MIN_PROBES = 3;
  private static final int MAX_PROBES = 6;
  /** A probe answering at least this share of what it offered kept up: the capacity is higher still. */
  private static final double KEPT_UP = 0.97;
  /** A probe sends for the run's duration, but never for less than this: its rate is taken over whole seconds. */
  private static final Duration SHORTEST_PROBE = Duration.ofSeconds(5);
  @Spec CommandSpec spec;
  @Option(names = "--images", paramLabel = "DIR", description = "Images to send, looped (default: deploy/samples).")
  Path images;
  @Option(names = "--rate", defaultValue = "50", description = "Events per second offered (default: ${DEFAULT-VALUE}).")
  double rate;
  @Option(names = "--duration", defaultValue = "30s", converter = DurationConverter.class,
      description = "Length of each run (default: ${DEFAULT-VALUE}).")
  Duration duration;
  @Option(names = "--sweep", split = ",", paramLabel = "PCT",
      description = "Run at these percentages of a measured capacity instead of --rate, e.g. 25,50,75,100,125,150.")
  List<Integer> sweep;
  @Option(names = "--slo-p99", paramLabel = "MS", description = "p99 latency objective: the sweep reports the highest rate meeting it.")
  Long sloP99;
  @Option(names = "--capacity-count", defaultValue = "2000", description = "Events per flood; the first capacity probe offers 1.5 times a flood's rate (default: ${DEFAULT-VALUE}).")
  long capacityCount;
  @Option(names = "--warm-up-floods", defaultValue = "10", paramLabel = "N",
      description = {"Capacity-sized floods before measuring: against the local service, until the JIT compiles under 5%% of a core",
          "during one, at most N; against --bootstrap, one (default: ${DEFAULT-VALUE})."})
  int warmUpFloods;
  @Option(names = "--run-warm-up", defaultValue = "20s", converter = DurationConverter.class, paramLabel = "D",
      description = {"Before each measured run, send at its rate for this long, unmeasured; 0s for none (default: ${DEFAULT-VALUE}).",
          "Floods compile the saturated paths; a steady rate takes others (small batches, the batch timer)."})
  Duration runWarmUp;
  @Option(names = "--json", paramLabel = "FILE", description = "Write the report as JSON.")
  Path json;
  @Option(names = "--plots", paramLabel = "DIR", description = "Write PNG plots (sweep.png, timeline*.png) here.")
  Path plots;
  @Option(names = "--answer-timeout", defaultValue = "60s", converter = DurationConverter.class,
      description = "How long after the last send to wait for answers (default: ${DEFAULT-VALUE}).")
  Duration answerTimeout;
  @Option(names = {"-b", "--bootstrap"}, paramLabel = "HOST:PORT", description = "A running cluster and service to test instead of a local one.")
  String bootstrap;
  @Option(names = {"-X", "--client-property"}, paramLabel = "KEY=VALUE", description = "Extra Kafka client property (with --bootstrap).")
  Map<String, String> clientProperties = new LinkedHashMap<>();
  @Option(names = "--topic", defaultValue = "images", description = "Images topic (default: ${DEFAULT-VALUE}).")
  String topic;
  @Option(names = "--predictions-topic", defaultValue = "predictions", description = "Default: ${DEFAULT-VALUE}.")
  String predictionsTopic;
  @Option(names = "--dead-letter-topic", defaultValue = "images.dlq", description = "Default: ${DEFAULT-VALUE}.")
  String deadLetterTopic;
  @Option(names = "--model", paramLabel = "FILE", description = "Model for the local service (default: deploy/models/catdog-mini-s4.onnx, else catdog.onnx, else catdog-seed.onnx).")
  Path model;
  @Option(names = "--labels", split = ",", defaultValue = "cat,dog", description = "Class names in model order (default: ${DEFAULT-VALUE}).")
  List<String> labels;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (json != null) {
      // Before the run, not after: a sweep takes minutes and its report must not be lost to a missing folder.
      java.nio.file.Files.createDirectories(json.toAbsolutePath().getParent());
    }
    List<ImageFile> files = ImageFiles.scan(Optional.ofNullable(images).orElse(CatdogHome.resolve("deploy/samples")), labels);
    Map<String, Object> report = new LinkedHashMap<>();
    List<RunResult> runs = new ArrayList<>();
    if (bootstrap == null) {
      Path modelFile = CatdogHome.modelOrShipped(model);
      try (LocalStack stack = LocalStack.start(modelFile, 3, "catdog-loadtest", Map.of())) {
        report.put("mode", "embedded broker and in-process service");
        report.put("model", stack.service().modelId());
        print(out, "loadtest: local broker " + stack.kafka().bootstrapServers() + ", service " + stack.service().modelId());
        runAll(out, stack.kafka().clientProperties(), LocalStack.IMAGES, LocalStack.PREDICTIONS, LocalStack.DEAD_LETTERS,
            files, runs, report);
      }
    } else {
      Properties client = new Properties();
      client.put("bootstrap.servers", bootstrap);
      client.putAll(clientProperties);
      report.put("mode", "external cluster " + bootstrap);
      runAll(out, client, topic, predictionsTopic, deadLetterTopic, files, runs, report);
    }
    report.put("images", files.size());
    report.put("cores", Runtime.getRuntime().availableProcessors());
    report.put("load_average_after", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    report.put("runs", RunResult.toJson(runs));
    if (json != null) {
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
      print(out, "loadtest: wrote " + json);
    }
    if (plots != null) {
      writePlots(out, runs);
    }
    return runs.stream().allMatch(r -> r.report().unanswered() == 0) ? 0 : 1;
  }

  private void runAll(PrintWriter out, Properties client, String imagesTopic, String predictions, String deadLetters,
      List<ImageFile> files, List<RunResult> runs, Map<String, Object> report) throws InterruptedException {
    try (LoadRun load = new LoadRun(client, imagesTopic, predictions, deadLetters, files, answerTimeout)) {
      warmUp(out, load, report);
      report.put("duration_s", duration.toMillis() / 1000.0);
      if (sweep == null || sweep.isEmpty()) {
        warmUpAt(out, load, rate);
        RunResult run = load.atRate(rate, duration);
        print(out, "loadtest: " + run.describe());
        runs.add(run);
        return;
      }
      double capacity = capacity(out, load, report);
      for (int pct : sweep) {
        warmUpAt(out, load, capacity * pct / 100.0);
        RunResult run = load.atRate(capacity * pct / 100.0, duration);
        print(out, "loadtest: " + pct + "% " + run.describe());
        runs.add(run);
      }
      report.put("slo_p99_ms", sloP99);
      Optional<RunResult> best = runs.stream().filter(RunResult::sustained)
          .filter(r -> sloP99 == null || r.p99() <= sloP99).max((a, b) -> Double.compare(a.achievedRate(), b.achievedRate()));
      report.put("max_sustainable_rate", best.map(RunResult::achievedRate).orElse(null));
      print(out, best.map(r -> String.format("loadtest: highest sustainable rate%s: %.1f images/s (p99 %d ms)",
              sloP99 == null ? "" : " with p99 <= " + sloP99 + " ms", r.achievedRate(), r.p99()))
          .orElse("loadtest: no rate was sustainable" + (sloP99 == null ? "" : " within p99 " + sloP99 + " ms")));
    }
  }

  /**
   * The highest answer rate the service sustains while the open loop keeps sending. A flood publishes
   * everything first and then only answers, so its rate has no producer beside the service: one sweep's runs at
   * 100-150% of a 454 flood sustained only 345-387. So open-loop probes measure it, each over its sending seconds
   * (the drain after the last send has no producer either). The first offers 1.5 times the flood's rate; that
   * much sending costs the producer more CPU than it would at capacity (316 against 380-383 sustained at
   * 125-150% of it), so each further probe offers 1.1 times what the previous one sustained, closing in from
   * both sides. After the third, probes go on while the last one kept up with its offer: two sweeps whose
   * third probe had kept up (467 and 398) then sustained 479 at 125%. The capacity is the highest rate
   * sustained by any probe.
   */
  private double capacity(PrintWriter out, LoadRun load, Map<String, Object> report) throws InterruptedException {
    RunResult flood = load.flood(capacityCount);
    report.put("flood_rate", flood.achievedRate());
    Duration probeFor = duration.compareTo(SHORTEST_PROBE) < 0 ? SHORTEST_PROBE : duration;
    double offer = FIRST_PROBE * flood.achievedRate();
    double capacity = 0;
    List<Probe> probes = new ArrayList<>();
    boolean keptUp = true;
    while (probes.size() < MIN_PROBES || keptUp && probes.size() < MAX_PROBES) {
      RunResult run = load.atRate(offer, probeFor);
      double sustained = run.sustainedRate();
      probes.add(new Probe(run.offeredRate(), sustained));
      print(out, String.format("loadtest: capacity probe %d: %.1f images/s sustained at %.1f offered", probes.size(), sustained,
          run.offeredRate()));
      capacity = Math.max(capacity, sustained);
      keptUp = sustained >= KEPT_UP * run.offeredRate();
      offer = PROBE_STEP * sustained;
    }
    report.put("capacity_probes", probes);
    report.put("capacity", capacity);
    print(out, String.format("loadtest: capacity %.1f images/s (a flood of %d answered %.1f/s)", capacity, flood.sent(),
        flood.achievedRate()));
    return capacity;
  }

  /** One capacity probe, for the report: images per second offered and sustained. */
  record Probe(double offered, double sustained) {}

  /**
   * A fresh JVM spends its first minute compiling (a quarter to a third of two cores for broker, Kafka clients,
   * Akka and protobuf), and latency measured meanwhile is the JIT's, not the service's: one sweep that started
   * after a single short flood measured 146 images/s and then sustained 218 at "150%". Against the local service
   * floods go on until one passes with the JIT nearly idle; a remote service's JIT is out of sight, so one flood
   * warms this side's producer and consumer.
   */
  private void warmUp(PrintWriter out, LoadRun load, Map<String, Object> report) throws InterruptedException {
    long count = capacityCount;
    JitMeter jit = new JitMeter();
    int floods = 0;
    double cores;
    do {
      jit.mark();
      load.flood(count);
      floods++;
      cores = jit.coresSinceMark();
    } while (bootstrap == null && jit.available() && cores >= 0.05 && floods < Math.max(1, warmUpFloods));
    Map<String, Object> warmUp = new LinkedHashMap<>();
    warmUp.put("floods", floods);
    warmUp.put("events_each", count);
    warmUp.put("jit_cores_last_flood", cores);
    warmUp.put("per_run_s", runWarmUp.toMillis() / 1000.0);
    report.put("warm_up", warmUp);
    print(out, String.format("loadtest: warmed up with %d flood(s) of %d events; the JIT took %.1f%% of a core during the last",
        floods, count, 100 * cores));
  }

  /**
   * The measured run's rate, unmeasured, first. After the floods, 60 s runs at half capacity still had a
   * per-second p99 of 90-150 ms for their first 15-20 s and 20-25 ms after it (GC pauses apart): the JIT was
   * still at 7-10% of a core, compiling what a steady rate runs and a flood does not.
   */
  private void warmUpAt(PrintWriter out, LoadRun load, double offered) throws InterruptedException {
    if (runWarmUp.isZero() || runWarmUp.isNegative()) {
      return;
    }
    RunResult run = load.atRate(offered, runWarmUp);
    print(out, String.format("loadtest: warm-up at %.1f/s for %.1f s, not counted: p99 %d ms", run.offeredRate(),
        runWarmUp.toMillis() / 1000.0, run.p99()));
  }

  private void writePlots(PrintWriter out, List<RunResult> runs) {
    if (sweep != null && !sweep.isEmpty()) {
      print(out, "loadtest: wrote " + Plots.sweep(plots, runs, sloP99 == null ? OptionalLong.empty() : OptionalLong.of(sloP99)));
      for (int i = 0; i < runs.size(); i++) {
        print(out, "loadtest: wrote " + Plots.timeline(plots.resolve("timeline-" + sweep.get(i) + "pct.png"), runs.get(i)));
      }
    } else {
      print(out, "loadtest: wrote " + Plots.timeline(plots.resolve("timeline.png"), runs.get(0)));
    }
  }

  private static void print(PrintWriter out, String line) {
    out.println(line);
    out.flush();
  }
}
