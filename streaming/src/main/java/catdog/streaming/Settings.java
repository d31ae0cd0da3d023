package catdog.streaming;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The service's configuration, read once from the {@code catdog} section (see reference.conf for every key).
 *
 * @param instanceId who this instance is in dead letters, logs and the transactional id
 * @param inputFormat how records are read, unless {@code inputFormatByTopic} names their topic
 * @param modelPath the ONNX model served at start-up
 * @param drainTimeout how long stop and SIGTERM may take to drain
 */
public record Settings(
    String instanceId,
    Kafka kafka,
    Topics topics,
    InputFormat inputFormat,
    Map<String, InputFormat> inputFormatByTopic,
    OutputFormat outputFormat,
    Delivery delivery,
    Path modelPath,
    Http http,
    Compute compute,
    Decode decode,
    Batch batch,
    Duration drainTimeout) {

  /** How records on the images topic are read. */
  public enum InputFormat { PROTOBUF, RAW }

  /** How predictions are written. */
  public enum OutputFormat { PROTOBUF, JSON }

  /** The delivery guarantee. */
  public enum DeliveryMode { AT_LEAST_ONCE, EXACTLY_ONCE }

  /**
   * The cluster and the three clients. Each properties map is the effective kafka-clients properties
   * for that client (common ones merged in), without bootstrap servers and group id.
   */
  public record Kafka(
      String bootstrapServers,
      String groupId,
      Map<String, String> consumerProperties,
      Map<String, String> producerProperties,
      Map<String, String> adminProperties,
      Duration startupTimeout,
      Restart restart,
      int commitMaxBatch,
      Duration commitMaxInterval) {
    public Kafka {
      consumerProperties = Map.copyOf(consumerProperties);
      producerProperties = Map.copyOf(producerProperties);
      adminProperties = Map.copyOf(adminProperties);
    }
  }

  /** Backoff of the Kafka part of the stream after a failure. */
  public record Restart(Duration minBackoff, Duration maxBackoff, double randomFactor) {}

  /**
   * The topics. {@code images} may list several input topics separated by commas; {@code shadowPredictions}
   * receives a shadow candidate's predictions during a shadow trial.
   */
  public record Topics(String images, String predictions, String deadLetters, String models, String shadowPredictions) {
    /** Every input topic. */
    public List<String> imageTopics() {
      return Arrays.stream(images.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    }
  }

  /** The input format of records from {@code topic}. */
  public InputFormat inputFormatOf(String topic) {
    return inputFormatByTopic.getOrDefault(topic, inputFormat);
  }

  /** The delivery mode and, for exactly-once, this instance's transactional id and commit interval. */
  public record Delivery(DeliveryMode mode, String transactionalId, Duration transactionInterval, Duration transactionTimeout) {}

  public record Http(String host, int port) {}

  /** Threads of the pool that decodes images and runs ONNX Runtime (already resolved from 0 to the core count). */
  public record Compute(int threads) {
    public Compute {
      if (threads < 1) {
        throw new IllegalArgumentException("compute threads must be at least 1");
      }
    }
  }

  /** Image limits, and the largest original value a dead letter carries. */
  public record Decode(int maxBytes, long maxPixels, int deadLetterMaxValueBytes) {}

  public record Batch(int maxSize, Duration maxDelay, int parallelism) {
    public Batch {
      if (maxSize < 1 || parallelism < 1) {
        throw new IllegalArgumentException("batch max-size and parallelism must be at least 1");
      }
    }
  }

  /** Reads the {@code catdog} section of a resolved config. */
  public static Settings fromConfig(Config root) {
    Config c = root.getConfig("catdog");
    String instance = c.getString("instance-id").isBlank() ? defaultInstanceId() : c.getString("instance-id");
    Config k = c.getConfig("kafka");
    Map<String, String> common = properties(k.getConfig("common-properties"));
    putIfSet(common, "security.protocol", k.getString("security-protocol"));
    putIfSet(common, "sasl.mechanism", k.getString("sasl-mechanism"));
    putIfSet(common, "sasl.jaas.config", k.getString("sasl-jaas-config"));
    Kafka kafka = new Kafka(
        k.getString("bootstrap-servers"),
        k.getString("group-id"),
        merged(common, properties(k.getConfig("consumer-properties"))),
        merged(common, properties(k.getConfig("producer-properties"))),
        merged(common, properties(k.getConfig("admin-properties"))),
        k.getDuration("startup-timeout"),
        new Restart(k.getDuration("restart.min-backoff"), k.getDuration("restart.max-backoff"), k.getDouble("restart.random-factor")),
        k.getInt("commit.max-batch"),
        k.getDuration("commit.max-interval"));
    String shadow = c.getString("topics.shadow-predictions");
    String deadLetters = c.getString("topics.dead-letters");
    String firstInput = c.getString("topics.images").split(",")[0].trim();
    Topics topics = new Topics(c.getString("topics.images"), c.getString("topics.predictions"),
        deadLetters.isBlank() ? firstInput + ".dlq" : deadLetters, c.getString("topics.models"),
        shadow.isBlank() ? c.getString("topics.predictions") + ".shadow" : shadow);
    Delivery delivery = new Delivery(
        enumValue(DeliveryMode.class, c.getString("delivery.mode")),
        c.getString("delivery.transactional-id-prefix") + "-" + instance,
        c.getDuration("delivery.transaction-interval"),
        c.getDuration("delivery.transaction-timeout"));
    int computeThreads = c.getInt("compute.threads");
    int threads = computeThreads > 0 ? computeThreads : Runtime.getRuntime().availableProcessors();
    int batchParallelism = c.getInt("batch.parallelism");
    return new Settings(
        instance,
        kafka,
        topics,
        enumValue(InputFormat.class, c.getString("input.format")),
        formatsByTopic(c.getConfig("input.per-topic")),
        enumValue(OutputFormat.class, c.getString("output.format")),
        delivery,
        Path.of(c.getString("model.path")),
        new Http(c.getString("http.host"), c.getInt("http.port")),
        new Compute(threads),
        new Decode(c.getInt("decode.max-bytes"), c.getLong("decode.max-pixels"), c.getInt("decode.dead-letter-max-value-bytes")),
        new Batch(c.getInt("batch.max-size"), c.getDuration("batch.max-delay"), batchParallelism > 0 ? batchParallelism : 2 * threads),
        c.getDuration("shutdown.drain-timeout"));
  }

  private static final Pattern SECRET = Pattern.compile("(?i).*(password|secret|jaas|credential|token|key\\.password|keystore\\.key).*");

  /** True for a property whose value must never be logged. */
  public static boolean isSecret(String key) {
    return SECRET.matcher(key).matches();
  }

  /** The effective settings for the start-up log, with every secret value masked. */
  public String describe() {
    return "instance " + instanceId + ", bootstrap " + kafka.bootstrapServers() + ", group " + kafka.groupId()
        + ", topics " + topics + ", input " + inputFormat + " " + inputFormatByTopic + ", output " + outputFormat + ", delivery " + delivery.mode()
        + ", model " + modelPath + ", http " + http.host() + ":" + http.port() + ", compute " + compute + ", decode " + decode + ", batch " + batch
        + ", drain-timeout " + drainTimeout + ", consumer " + masked(kafka.consumerProperties())
        + ", producer " + masked(kafka.producerProperties()) + ", admin " + masked(kafka.adminProperties());
  }

  static Map<String, String> masked(Map<String, String> properties) {
    Map<String, String> out = new TreeMap<>();
    properties.forEach((key, value) -> out.put(key, isSecret(key) ? "******" : value));
    return out;
  }

  /**
   * Flattens a properties block to kafka-clients keys. Both {@code "sasl.mechanism" = X} and the nested
   * form {@code sasl.mechanism = X} (which HOCON reads as an object) give the key {@code sasl.mechanism}.
   */
  static Map<String, String> properties(Config block) {
    Map<String, String> out = new LinkedHashMap<>();
    block.entrySet().forEach(e -> out.put(String.join(".", ConfigUtil.splitPath(e.getKey())), String.valueOf(e.getValue().unwrapped())));
    return out;
  }

  private static Map<String, InputFormat> formatsByTopic(Config block) {
    Map<String, InputFormat> out = new LinkedHashMap<>();
    properties(block).forEach((topic, format) -> out.put(topic, enumValue(InputFormat.class, format)));
    return Map.copyOf(out);
  }

  private static Map<String, String> merged(Map<String, String> common, Map<String, String> specific) {
    Map<String, String> out = new LinkedHashMap<>(common);
    out.putAll(specific);
    return out;
  }

  private static void putIfSet(Map<String, String> props, String key, String value) {
    if (!value.isBlank()) {
      props.put(key, value);
    }
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, String value) {
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown " + type.getSimpleName() + " '" + value + "'", e);
    }
  }

  private static String defaultInstanceId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
  }
}
