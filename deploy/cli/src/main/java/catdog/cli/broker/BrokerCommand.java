package catdog.cli.broker;

import catdog.broker.BrokerSettings;
import catdog.broker.EmbeddedKafka;
import catdog.cli.support.Logging;
import catdog.cli.support.StopOnSignal;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code catdog broker}: runs a real Kafka broker (KRaft, one node) on 127.0.0.1 until Ctrl-C or SIGTERM. */
@Command(name = "broker", mixinStandardHelpOptions = true,
    description = {"Run a single-node Apache Kafka broker (KRaft) on 127.0.0.1 in the foreground until SIGTERM.",
        "Creates the images, predictions and dead-letter topics, and the compacted models topic."})
public final class BrokerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--port", defaultValue = "9092", description = "Client port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--data", paramLabel = "DIR", description = "Data dir, kept across runs (default: a temp dir deleted on exit).")
  Path data;

  @Option(names = "--partitions", defaultValue = "3", description = "Partitions per topic (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--topics", split = ",", defaultValue = "images,predictions,images.dlq",
      description = "Topics to create (default: ${DEFAULT-VALUE}).")
  List<String> topics;

  @Option(names = "--models-topic", defaultValue = "models",
      description = "Compacted topic for model updates; empty for none (default: ${DEFAULT-VALUE}).")
  String modelsTopic;

  @Override
  public Integer call() {
    Logging.showInfo("catdog");
    PrintWriter out = spec.commandLine().getOut();
    BrokerSettings settings = new BrokerSettings(port, Optional.ofNullable(data), partitions, Map.of());
    CountDownLatch stopped = new CountDownLatch(1);
    EmbeddedKafka kafka = EmbeddedKafka.start(settings);
    // The broker closes inside the signal-guarded block so that SIGTERM waits for a clean shutdown.
    return StopOnSignal.run(stopped::countDown, () -> {
      try (kafka) {
        kafka.createTopics(topics.toArray(String[]::new));
        if (!modelsTopic.isBlank()) {
          kafka.createCompactedTopic(modelsTopic);
        }
        out.printf("broker: ready on %s (data %s, topics %s%s); Ctrl-C stops it%n", kafka.bootstrapServers(),
            kafka.dataDir(), String.join(",", topics), modelsTopic.isBlank() ? "" : "," + modelsTopic);
        out.flush();
        awaitQuietly(stopped);
      }
      out.println("broker: stopped");
      out.flush();
      return 0;
    });
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
