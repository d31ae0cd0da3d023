package catdog.cli.loadtest;

import catdog.cli.matching.PredictionMatcher;
import catdog.cli.matching.ThroughputWindow;
import catdog.cli.produce.ImageFile;
import catdog.cli.produce.ImagePublisher;
import catdog.cli.produce.PublishPlan;
import catdog.cli.produce.PublishSummary;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs load against a service that reads {@code imagesTopic}: each run starts a fresh matcher, publishes on
 * an open-loop schedule with ids unique to the run, and waits for every answer (bounded). Runs follow each
 * other only once the previous one is fully answered, so no run inherits another's queue.
 */
final class LoadRun implements AutoCloseable {
  private final Properties client;
  private final String predictionsTopic;
  private final String deadLetterTopic;
  private final List<ImageFile> images;
  private final Duration answerTimeout;
  private final String runId;
  private final ImagePublisher publisher;
  private int runs;

  LoadRun(Properties client, String imagesTopic, String predictionsTopic, String deadLetterTopic, List<ImageFile> images,
      Duration answerTimeout) {
    this.client = client;
    this.predictionsTopic = predictionsTopic;
    this.deadLetterTopic = deadLetterTopic;
    this.images = images;
    this.answerTimeout = answerTimeout;
    this.runId = Long.toString(System.currentTimeMillis(), 36);
    this.publisher = new ImagePublisher(client, imagesTopic);
  }

  /** Open loop at {@code rate} events per second for {@code duration}. */
  RunResult atRate(double rate, Duration duration) throws InterruptedException {
    return run(OptionalDouble.of(rate), OptionalLong.empty(), Optional.of(duration));
  }

  /** {@code count} events as fast as the producer takes them: the throughput the service reaches when flooded. */
  RunResult flood(long count) throws InterruptedException {
    return run(OptionalDouble.empty(), OptionalLong.of(count), Optional.empty());
  }

  private RunResult run(OptionalDouble rate, OptionalLong count, Optional<Duration> duration) throws InterruptedException {
    String prefix = "lt-" + runId + "-" + (++runs) + "-";
    long startMs = System.currentTimeMillis();
    Timeline timeline = new Timeline(startMs);
    AtomicLong lastAnswerMs = new AtomicLong(startMs);
    AtomicLong answers = new AtomicLong();
    // A flood's rate is taken from 10% to 90% answered: not the producer's burst nor the last partial batch.
    Optional<ThroughputWindow> window = count.isPresent() && count.getAsLong() >= 10
        ? Optional.of(new ThroughputWindow(count.getAsLong())) : Optional.empty();
    PublishSummary sent;
    try (PredictionMatcher matcher = PredictionMatcher.start(client, predictionsTopic, deadLetterTopic, answer -> {
      timeline.record(answer.receivedAtMs(), answer.latencyMs());
      lastAnswerMs.accumulateAndGet(answer.receivedAtMs(), Math::max);
      long n = answers.incrementAndGet();
      window.ifPresent(w -> w.done(n));
    })) {
      PublishPlan plan = new PublishPlan(images, true, count, duration, rate, prefix);
      sent = publisher.publish(plan, event -> matcher.expect(event.getId(), event.getProducedAtMs()));
      if (sent.failed() > 0) {
        throw new IllegalStateException(sent.failed() + " events could not be sent: " + sent.firstError().orElse("?"));
      }
      matcher.awaitAll(answerTimeout);
      var report = matcher.report();
      double answered = report.predicted() + report.deadLettered();
      double seconds = Math.max(0.001, (lastAnswerMs.get() - startMs) / 1000.0);
      double achieved = rate.isEmpty() && report.unanswered() == 0 && window.isPresent() ? window.get().rate() : answered / seconds;
      double offered = rate.orElse(sent.recordsPerSecond());
      return new RunResult(offered, sent.elapsed().toMillis() / 1000.0, sent.records(), achieved, report, timeline);
    }
  }

  @Override
  public void close() {
    publisher.close();
  }
}
