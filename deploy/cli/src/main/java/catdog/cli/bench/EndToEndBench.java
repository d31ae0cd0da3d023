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
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The real path: events waiting on a topic of the embedded broker, the service started with default
 * settings, throughput measured on its predictions from the window start to 90% done. The topic is filled before the
 * service starts, so the producer takes no CPU from the run.
 */
final class EndToEndBench {
  static final String IMAGES = "bench-images";
  private static final String PREDICTIONS = "bench-predictions";
  private static final String DEAD_LETTERS = "bench-images.dlq";

  private EndToEndBench() {}

  /** Publishes {@code count} full-size events to {@link #IMAGES} and returns their ids. */
  static List<String> preload(EmbeddedKafka kafka, BenchImages images, int count) {
    kafka.createTopics(IMAGES, PREDICTIONS, DEAD_LETTERS);
    List<ImageFile> files = new ArrayList<>();
    for (int i = 0; i < images.images().size(); i++) {
      files.add(new ImageFile("full-" + i + ".jpg", images.get(i), "image/jpeg", Optional.empty()));
    }
    List<String> ids = new ArrayList<>(count);
    try (ImagePublisher publisher = new ImagePublisher(kafka.clientProperties(), IMAGES)) {
      PublishSummary summary = publisher.publish(new PublishPlan(files, true, OptionalLong.of(count), Optional.empty(),
          OptionalDouble.empty(), "bench-"), event -> ids.add(event.getId()));
      if (summary.failed() > 0) {
        throw new IllegalStateException("could not fill the benchmark topic: " + summary.firstError().orElse("?"));
      }
    }
    return ids;
  }

  /** Images per second through broker and service, for the preloaded ids, from {@code windowStart} of them answered. */
  static double run(EmbeddedKafka kafka, Config defaults, List<String> ids, double windowStart, Duration timeout)
      throws InterruptedException {
    Config config = defaults
        .withValue(ServiceConfig.BOOTSTRAP, ConfigValueFactory.fromAnyRef(kafka.bootstrapServers()))
        .withValue(ServiceConfig.GROUP, ConfigValueFactory.fromAnyRef("bench-e2e"))
        .withValue("catdog.topics.images", ConfigValueFactory.fromAnyRef(IMAGES))
        .withValue("catdog.topics.predictions", ConfigValueFactory.fromAnyRef(PREDICTIONS))
        .withValue("catdog.topics.dead-letters", ConfigValueFactory.fromAnyRef(DEAD_LETTERS));
    ThroughputWindow window = new ThroughputWindow(ids.size(), windowStart);
    long[] answered = {0};
    try (PredictionMatcher matcher = PredictionMatcher.start(kafka.clientProperties(), PREDICTIONS, DEAD_LETTERS,
        answer -> window.done(++answered[0]))) {
      ids.forEach(id -> matcher.expect(id, System.currentTimeMillis()));
      InProcessService service = InProcessService.start(config);
      try {
        if (!matcher.awaitAll(timeout)) {
          throw new IllegalStateException("end to end: " + matcher.report().unanswered() + " of " + ids.size()
              + " events unanswered after " + timeout);
        }
      } finally {
        service.close();
      }
      MatchReport report = matcher.report();
      if (report.deadLettered() > 0) {
        throw new IllegalStateException("end to end: " + report.deadLettered() + " benchmark images were dead-lettered");
      }
    }
    return window.rate();
  }
}
