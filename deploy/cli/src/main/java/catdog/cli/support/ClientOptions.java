package catdog.cli.support;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/** The options that say how to reach a Kafka cluster, mixed into every command that talks to one. */
public final class ClientOptions {
  @Option(names = {"-b", "--bootstrap"}, paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9092",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  String bootstrap = "127.0.0.1:9092";

  @Option(names = {"-X", "--client-property"}, paramLabel = "KEY=VALUE",
      description = "Extra Kafka client property, e.g. -X security.protocol=SASL_PLAINTEXT. Repeatable.")
  Map<String, String> extra = new LinkedHashMap<>();

  public String bootstrap() {
    return bootstrap;
  }

  /** The bootstrap servers plus every -X property, ready for a producer, consumer or admin client. */
  public Properties properties() {
    Properties p = new Properties();
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.putAll(extra);
    return p;
  }

  /** The same options pointed at another cluster, for commands that start their own broker. */
  public static ClientOptions of(String bootstrap, Map<String, String> extra) {
    ClientOptions options = new ClientOptions();
    options.bootstrap = bootstrap;
    options.extra = new LinkedHashMap<>(extra);
    return options;
  }
}
