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
 * settings, throughput measured on its predictions from 10% to 90% done. The topic is filled before the
 * service starts, so the producer takes no CPU from the run. Each input topic has its own predictions and
 * dead-letter topics and consumer group, so a warm-up run leaves nothing behind for the timed one.
 */
final class EndToEndBench {
  static final String IMAGES = "bench-images";
  static final String WARM_UP = "bench-warm-up";

  private EndToEndBench() {}

  /** Publishes {@code count} full-size events to {@code topic} and returns their ids. */
  static List<String> preload(EmbeddedKafka kafka, BenchImages images, String topic, int count) {
    kafka.createTopics(topic, predictions(topic), deadLetters(topic));
    List<ImageFile> files = new ArrayList<>();
    for (int i = 0; i < images.images().size(); i++) {
      files.add(new ImageFile("full-" + i + ".jpg", images.get(i), "image/jpeg", Optional.empty()));
    }
    List<String> ids = new ArrayList<>(count);
    try (ImagePublisher publisher = new ImagePublisher(kafka.clientProperties(), topic)) {
      PublishSummary summary = publisher.publish(new PublishPlan(files, true, OptionalLong.of(count), Optional.empty(),
          OptionalDouble.empty(), "bench-"), event -> ids.add(event.getId()));
      if (summary.failed() > 0) {
        throw new IllegalStateException("could not fill the benchmark topic: " + summary.firstError().orElse("?"));
      }
    }
    return ids;
  }

  /** Images per second through broker and a fresh service, for the ids preloaded to {@code topic}. */
  static double run(EmbeddedKafka kafka, Config defaults, String topic, List<String> ids, Duration timeout) throws InterruptedException {
    Config config = defaults
        .withValue(ServiceConfig.BOOTSTRAP, ConfigValueFactory.fromAnyRef(kafka.bootstrapServers()))
        .withValue(ServiceConfig.GROUP, ConfigValueFactory.fromAnyRef(topic + "-service"))
        .withValue("catdog.topics.images", ConfigValueFactory.fromAnyRef(topic))
        .withValue("catdog.topics.predictions", ConfigValueFactory.fromAnyRef(predictions(topic)))
        .withValue("catdog.topics.dead-letters", ConfigValueFactory.fromAnyRef(deadLetters(topic)));
    ThroughputWindow window = new ThroughputWindow(ids.size());
    long[] answered = {0};
    try (PredictionMatcher matcher = PredictionMatcher.start(kafka.clientProperties(), predictions(topic), deadLetters(topic),
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

  private static String predictions(String topic) {
    return topic + "-predictions";
  }

  private static String deadLetters(String topic) {
    return topic + ".dlq";
  }
}
