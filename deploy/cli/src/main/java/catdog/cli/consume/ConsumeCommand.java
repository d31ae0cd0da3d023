package catdog.cli.consume;

import catdog.cli.support.ClientOptions;
import catdog.cli.support.DurationConverter;
import catdog.cli.support.StopOnSignal;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code catdog consume}: prints the records of a topic as JSON lines, like a console consumer. */
@Command(name = "consume", mixinStandardHelpOptions = true,
    description = {"Print one JSON object per record of a predictions, dead-letter or images topic.",
        "Image and dead-letter payload bytes are left out unless --bytes."})
public final class ConsumeCommand implements Callable<Integer> {
  private static final Duration POLL = Duration.ofMillis(200);

  @Spec CommandSpec spec;
  @Mixin ClientOptions client;

  @Option(names = "--topic", defaultValue = "predictions", description = "Topic to read (default: ${DEFAULT-VALUE}).")
  String topic;

  @Option(names = "--from-beginning", description = "Start at the oldest record instead of the newest.")
  boolean fromBeginning;

  @Option(names = "--count", paramLabel = "N", description = "Stop after N records.")
  Long count;

  @Option(names = "--timeout", paramLabel = "S", converter = DurationConverter.class,
      description = "Stop after this long without a new record, e.g. 10 or 10s.")
  Duration timeout;

  @Option(names = "--bytes", description = "Include image and dead-letter payload bytes (base64).")
  boolean withBytes;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    RecordFormatter formatter = new RecordFormatter(withBytes);
    long limit = count == null ? Long.MAX_VALUE : count;
    long[] seen = {0};
    KafkaConsumer<byte[], byte[]> consumer = consumer();
    StopOnSignal.run(consumer::wakeup, () -> {
      try (consumer) {
        consumer.subscribe(List.of(topic));
        long lastRecord = System.nanoTime();
        try {
          while (seen[0] < limit && (timeout == null || System.nanoTime() - lastRecord < timeout.toNanos())) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
              lastRecord = System.nanoTime();
              print(formatter, record, out, err);
              if (++seen[0] >= limit) {
                break;
              }
            }
          }
        } catch (WakeupException signalled) {
          // Ctrl-C or SIGTERM: stop reading and report what was printed.
        }
        return seen[0];
      }
    });
    out.flush();
    boolean incomplete = count != null && seen[0] < count;
    if (incomplete) {
      err.printf("consume: %d of %d records before %s without a new one%n", seen[0], count, timeout);
      err.flush();
    }
    return incomplete ? 1 : 0;
  }

  private void print(RecordFormatter formatter, ConsumerRecord<byte[], byte[]> record, PrintWriter out, PrintWriter err) {
    RecordFormatter.Formatted formatted = formatter.format(record.topic(), record.value());
    if (formatted instanceof RecordFormatter.Formatted.Json json) {
      out.println(json.line());
    } else if (formatted instanceof RecordFormatter.Formatted.Unreadable unreadable) {
      err.printf("consume: %s-%d@%d is no catdog record: %s%n",
          record.topic(), record.partition(), record.offset(), unreadable.reason());
      err.flush();
    }
    out.flush();
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    Properties p = client.properties();
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "catdog-consume-" + UUID.randomUUID());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }
}
