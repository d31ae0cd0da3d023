package catdog.cli.admin;

import catdog.cli.support.ClientOptions;
import catdog.protocol.ModelUpdate;
import catdog.streaming.admin.ModelPublisher;
import catdog.streaming.admin.ModelUpdates;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code catdog admin publish}: puts a model on the compacted models topic, so that every instance of the
 * fleet swaps to it, and an instance started later begins with it.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
    description = {"Publish a model on the compacted models topic: every instance following it swaps to the model,",
        "and instances started later begin with it. The record key is the model name; the sha256 is checked on receipt."})
final class PublishCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClientOptions kafka;

  @Parameters(paramLabel = "MODEL.onnx", description = "An ONNX file exported by catdog export (it carries name and version).")
  Path file;

  @Option(names = "--topic", defaultValue = "models", description = "The models topic (default: ${DEFAULT-VALUE}).")
  String topic;

  @Option(names = "--by-uri", description = "Publish the file's URI instead of its bytes; every instance must be able to read the path.")
  boolean byUri;

  @Override
  public Integer call() throws Exception {
    Path model = AdminCalls.existing(file);
    long now = System.currentTimeMillis();
    ModelUpdate update = byUri ? ModelUpdates.pointingAt(model, now) : ModelUpdates.carrying(Files.readAllBytes(model), now);
    Map<String, Object> props = new HashMap<>();
    kafka.properties().forEach((k, v) -> props.put(k.toString(), v));
    RecordMetadata written = ModelPublisher.publish(props, topic, update);
    PrintWriter out = spec.commandLine().getOut();
    out.printf("publish: %s@%s (sha256 %s, %s) on %s-%d at offset %d%n", update.getName(), update.getVersion(),
        update.getSha256().substring(0, 12), byUri ? update.getUri() : Files.size(model) + " bytes", topic,
        written.partition(), written.offset());
    out.flush();
    return 0;
  }
}
