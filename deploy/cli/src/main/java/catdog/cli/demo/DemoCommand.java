package catdog.cli.demo;

import catdog.cli.matching.MatchReport;
import catdog.cli.matching.PredictionMatcher;
import catdog.cli.produce.ImageFile;
import catdog.cli.produce.ImageFiles;
import catdog.cli.produce.ImagePublisher;
import catdog.cli.produce.PublishPlan;
import catdog.cli.produce.PublishSummary;
import catdog.cli.serve.LocalStack;
import catdog.cli.support.CatdogHome;
import catdog.cli.support.DurationConverter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code catdog demo}: broker, service and producer in one JVM, on the shipped sample images. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"The whole product in one command: broker, service, sample images, one line per prediction.",
        "Starts a Kafka broker and the service, publishes the sample images, prints each prediction, stops",
        "everything. Exits 0 only if every image got a prediction."})
public final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--images", paramLabel = "DIR", description = "Images to publish (default: deploy/samples).")
  Path images;

  @Option(names = "--model", paramLabel = "FILE",
      description = "ONNX model (default: deploy/models/catdog-mini-s4.onnx, else catdog.onnx, else catdog-seed.onnx).")
  Path model;

  @Option(names = "--labels", split = ",", defaultValue = "cat,dog", description = "Class names in model order (default: ${DEFAULT-VALUE}).")
  List<String> labels;

  @Option(names = "--timeout", defaultValue = "60s", converter = DurationConverter.class,
      description = "How long to wait for the last prediction (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--rate", defaultValue = "20",
      description = "Images per second, paced like a camera feed; 0 sends them all at once (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--partitions", defaultValue = "3", description = "Partitions of the images topic (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    Path modelFile = CatdogHome.modelOrShipped(model);
    List<ImageFile> files = ImageFiles.scan(Optional.ofNullable(images).orElse(CatdogHome.resolve("deploy/samples")), labels);
    print(out, "demo: starting a Kafka broker and the service with " + modelFile);
    MatchReport report;
    PublishSummary published;
    try (LocalStack stack = LocalStack.start(modelFile, partitions, "catdog-demo", Map.of());
         PredictionMatcher matcher = PredictionMatcher.start(stack.kafka().clientProperties(), LocalStack.PREDICTIONS,
             LocalStack.DEAD_LETTERS, answer -> print(out, DemoLines.answer(answer, labels)));
         ImagePublisher publisher = new ImagePublisher(stack.kafka().clientProperties(), LocalStack.IMAGES)) {
      print(out, "demo: " + stack.service().modelId() + " serving on " + stack.kafka().bootstrapServers()
          + "; warming up with one image");
      warmUp(stack, publisher, files.get(0));
      print(out, "demo: publishing " + files.size() + " images" + (rate > 0 ? " at " + rate + " per second" : ""));
      PublishPlan plan = new PublishPlan(files, false, OptionalLong.empty(), Optional.empty(),
          rate > 0 ? OptionalDouble.of(rate) : OptionalDouble.empty(), "");
      published = publisher.publish(plan, event -> matcher.expect(event.getId(), event.getProducedAtMs()));
      matcher.awaitAll(timeout);
      report = matcher.report();
    }
    if (report.unanswered() > 0) {
      print(out, "demo: " + report.unanswered() + " images got no answer within " + timeout);
    }
    print(out, DemoLines.summary(published.records(), report));
    return published.failed() == 0 && report.predicted() == files.size() ? 0 : 1;
  }

  /**
   * One image through the whole path before the measured ones: the first record pays for lazy set-up on both
   * sides (producer ids and metadata, JIT, native decoder loading), about a second, which is start-up cost
   * rather than the latency a running service gives.
   */
  private void warmUp(LocalStack stack, ImagePublisher publisher, ImageFile image) throws InterruptedException {
    try (PredictionMatcher matcher = PredictionMatcher.start(stack.kafka().clientProperties(), LocalStack.PREDICTIONS,
        LocalStack.DEAD_LETTERS, answer -> { })) {
      publisher.publish(new PublishPlan(List.of(image), false, OptionalLong.empty(), Optional.empty(), OptionalDouble.empty(),
          "warm-up-"), event -> matcher.expect(event.getId(), event.getProducedAtMs()));
      if (!matcher.awaitAll(timeout)) {
        throw new IllegalStateException("the warm-up image got no answer within " + timeout);
      }
    }
  }

  private static void print(PrintWriter out, String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }
}
