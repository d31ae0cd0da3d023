package catdog.cli.bench;

import catdog.broker.EmbeddedKafka;
import catdog.cli.matching.MatchReport;
import catdog.cli.matching.PredictionMatcher;
import catdog.cli.matching.ThroughputWindow;
import catdog.cli.produce.ImageFile;
import catdog.cli.produce.ImagePublisher;
import catdog.cli.produce.PublishPlan;
import catdog.cli.produce.PublishSummary;
import catdog.cli.serve.InProcessService;
import catdog.cli.serve.ServiceConfig;
import catdog.cli.support.JitMeter;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The real path: full-size events through the embedded broker and one service with default settings, in
 * rounds. Each round publishes its events and waits for every answer. Warm-up rounds go on until two in a row
 * pass with the JIT nearly idle; then each timed round's throughput is taken from 40% to 90% answered, by when its
 * producer has long finished, so the producer takes no CPU from the window. The figure is the median of the
 * timed rounds, like the stage figures it is compared with. One service instance serves every round: a second
 * instance, started after the first had warmed up, still had the JIT at 13-22% of a core.
 */
final class EndToEndBench {
  static final String IMAGES = "bench-images";
  private static final double WINDOW_START = 0.4;

  /**
   * What to run.
   *
   * @param warmUpEvents events per warm-up round
   * @param maxWarmUpRounds at most this many warm-up rounds (0 for none)
   * @param quietJitCores two warm-up rounds in a row with the JIT under this many cores end the warm-up
   * @param timedEvents events in each timed round
   * @param timedRounds timed rounds; the figure is their median
   * @param timeout longest wait for one round's answers
   */
  record Plan(int warmUpEvents, int maxWarmUpRounds, double quietJitCores, int timedEvents, int timedRounds, Duration timeout) {}

  /**
   * What happened.
   *
   * @param rates images per second in each timed round's window
   * @param warmUpRounds warm-up rounds run
   * @param warmUpJitCores the JIT's busy cores during the last warm-up round (0 without warm-up)
   * @param timedJitCores the JIT's busy cores during the timed rounds
   * @param answeredWhenPublished for each timed round, the fraction of its events answered when its producer had
   *     sent them all: below the window's start, the producer took no CPU from the window
   */
  record Result(List<Double> rates, int warmUpRounds, double warmUpJitCores, double timedJitCores,
      List<Double> answeredWhenPublished) {
    double rate() {
      return Throughput.median(rates);
    }
  }

  private final EmbeddedKafka kafka;
  private final List<ImageFile> files;
  private int rounds;

  private EndToEndBench(EmbeddedKafka kafka, BenchImages images) {
    this.kafka = kafka;
    this.files = new ArrayList<>();
    for (int i = 0; i < images.images().size(); i++) {
      files.add(new ImageFile("full-" + i + ".jpg", images.get(i), "image/jpeg", Optional.empty()));
    }
  }

  /** Creates the topics, starts the service, runs the plan and stops the service. The topic keeps the events. */
  static Result run(EmbeddedKafka kafka, Config defaults, BenchImages images, Plan plan) throws InterruptedException {
    kafka.createTopics(IMAGES, predictions(), deadLetters());
    Config config = defaults
        .withValue(ServiceConfig.BOOTSTRAP, ConfigValueFactory.fromAnyRef(kafka.bootstrapServers()))
        .withValue(ServiceConfig.GROUP, ConfigValueFactory.fromAnyRef(IMAGES + "-service"))
        .withValue("catdog.topics.images", ConfigValueFactory.fromAnyRef(IMAGES))
        .withValue("catdog.topics.predictions", ConfigValueFactory.fromAnyRef(predictions()))
        .withValue("catdog.topics.dead-letters", ConfigValueFactory.fromAnyRef(deadLetters()));
    EndToEndBench bench = new EndToEndBench(kafka, images);
    InProcessService service = InProcessService.start(config);
    try {
      JitMeter jit = new JitMeter();
      int warmUps = 0;
      int quietInARow = 0;
      double warmUpJit = 0;
      // One quiet round can be a lull: a bench whose 7th round had the JIT at 4.9% of a core then had it at 14.5%
      // in its timed rounds (e2e 750 images/s), where a run whose first quiet round was its 14th gave 846.
      while (warmUps < plan.maxWarmUpRounds() && quietInARow < 2) {
        jit.mark();
        bench.round(plan.warmUpEvents(), plan.timeout());
        warmUps++;
        warmUpJit = jit.coresSinceMark();
        quietInARow = warmUpJit < plan.quietJitCores() ? quietInARow + 1 : 0;
      }
      jit.mark();
      List<Double> rates = new ArrayList<>();
      List<Double> published = new ArrayList<>();
      for (int timed = 0; timed < plan.timedRounds(); timed++) {
        Round round = bench.round(plan.timedEvents(), plan.timeout());
        rates.add(round.rate());
        published.add(round.answeredWhenPublished());
      }
      return new Result(rates, warmUps, warmUpJit, jit.coresSinceMark(), published);
    } finally {
      service.close();
    }
  }

  private record Round(double rate, double answeredWhenPublished) {}

  /** Publishes {@code count} events, waits for all their answers, and returns the window's images per second. */
  private Round round(int count, Duration timeout) throws InterruptedException {
    ThroughputWindow window = new ThroughputWindow(count, WINDOW_START);
    AtomicLong answered = new AtomicLong();
    double whenPublished;
    try (PredictionMatcher matcher = PredictionMatcher.start(kafka.clientProperties(), predictions(), deadLetters(),
        answer -> window.done(answered.incrementAndGet()));
        ImagePublisher publisher = new ImagePublisher(kafka.clientProperties(), IMAGES)) {
      PublishSummary sent = publisher.publish(new PublishPlan(files, true, OptionalLong.of(count), Optional.empty(),
          OptionalDouble.empty(), "bench-" + (++rounds) + "-"), event -> matcher.expect(event.getId(), event.getProducedAtMs()));
      if (sent.failed() > 0) {
        throw new IllegalStateException("could not publish the benchmark events: " + sent.firstError().orElse("?"));
      }
      whenPublished = answered.get() / (double) count;
      if (!matcher.awaitAll(timeout)) {
        throw new IllegalStateException("end to end: " + matcher.report().unanswered() + " of " + count
            + " events unanswered after " + timeout);
      }
      MatchReport report = matcher.report();
      if (report.deadLettered() > 0) {
        throw new IllegalStateException("end to end: " + report.deadLettered() + " benchmark images were dead-lettered");
      }
    }
    return new Round(window.rate(), whenPublished);
  }

  private static String predictions() {
    return IMAGES + "-predictions";
  }

  private static String deadLetters() {
    return IMAGES + ".dlq";
  }
}
