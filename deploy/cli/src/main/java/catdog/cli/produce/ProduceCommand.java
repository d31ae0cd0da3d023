package catdog.cli.produce;

import catdog.cli.support.ClientOptions;
import catdog.cli.support.DurationConverter;
import catdog.cli.support.StopOnSignal;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code catdog produce}: publishes a folder of images as ImageEvents. */
@Command(name = "produce", mixinStandardHelpOptions = true,
    description = {"Publish the images of a folder as ImageEvents (key = id = file name).",
        "Labels come from names like cat.12.jpg or from class sub-folders (cat/, dogs/)."})
public final class ProduceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClientOptions client;

  @Option(names = "--images", required = true, paramLabel = "DIR", description = "Folder of jpg/png images.")
  Path images;

  @Option(names = "--topic", defaultValue = "images", description = "Topic to publish to (default: ${DEFAULT-VALUE}).")
  String topic;

  @Option(names = "--count", paramLabel = "N", description = "Stop after N events (more than the folder holds implies --loop).")
  Long count;

  @Option(names = "--duration", paramLabel = "D", converter = DurationConverter.class,
      description = "Stop after this long, e.g. 30s or 2m (implies --loop).")
  Duration duration;

  @ArgGroup(exclusive = true)
  Speed speed = new Speed();

  static final class Speed {
    @Option(names = "--rate", paramLabel = "R", description = "Events per second, on an open-loop schedule.")
    Double rate;

    @Option(names = "--max", description = "As fast as the producer takes them (the default).")
    boolean max;
  }

  @Option(names = "--loop", description = "Reuse the images; ids get a sequence number (cat.1.jpg#17).")
  boolean loop;

  @Option(names = "--labels", split = ",", defaultValue = "cat,dog",
      description = "Class names in model order, for known labels (default: ${DEFAULT-VALUE}).")
  List<String> labels;

  @Option(names = "--progress", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Show a progress bar on the terminal (default: on when there is one).")
  boolean progress;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<ImageFile> files = ImageFiles.scan(images, labels);
    boolean looping = loop || duration != null || (count != null && count > files.size());
    PublishPlan plan = new PublishPlan(files, looping,
        count == null ? OptionalLong.empty() : OptionalLong.of(count), Optional.ofNullable(duration),
        speed.rate == null ? OptionalDouble.empty() : OptionalDouble.of(speed.rate), "");
    ImagePublisher publisher = new ImagePublisher(client.properties(), topic);
    PublishSummary summary = StopOnSignal.run(publisher::stop, () -> {
      try (publisher; ProgressBar bar = progressBar(plan)) {
        return publisher.publish(plan, event -> bar.step());
      }
    });
    out.println("produce: " + summary.describe() + " to " + topic);
    out.flush();
    return summary.failed() == 0 ? 0 : 1;
  }

  private ProgressBar progressBar(PublishPlan plan) {
    ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName("produce").setUnit(" img", 1)
        .setInitialMax(plan.expected().orElse(-1));
    if (!progress || System.console() == null) {
      // Nobody watches a pipe: keep stdout and stderr clean.
      builder.setConsumer(new me.tongfei.progressbar.DelegatingProgressBarConsumer(line -> { }));
    }
    return builder.build();
  }
}
