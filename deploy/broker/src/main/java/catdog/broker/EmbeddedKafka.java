package catdog.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kafka 3.9 broker acting as its own KRaft controller, bound to 127.0.0.1. Start it with
 * {@link #start(BrokerSettings)}; {@link #close()} stops it and deletes a temporary data dir.
 * {@link #restart()} stops and starts it again on the same ports and data, for outage tests.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final String CLUSTER_ID = "Y2F0ZG9nLWNsdXN0ZXIwMQ";

  private final BrokerSettings settings;
  private final int port;
  private final int controllerPort;
  private final Path dataDir;
  private final boolean ownsDataDir;
  private KafkaRaftServer server;

  private EmbeddedKafka(BrokerSettings settings, int port, int controllerPort, Path dataDir, boolean ownsDataDir) {
    this.settings = settings;
    this.port = port;
    this.controllerPort = controllerPort;
    this.dataDir = dataDir;
    this.ownsDataDir = ownsDataDir;
  }

  /** Formats the storage if needed, starts the broker and waits until it answers. */
  public static EmbeddedKafka start(BrokerSettings settings) {
    int port = settings.port() > 0 ? settings.port() : freePort();
    int controllerPort = freePort();
    boolean temp = settings.dataDir().isEmpty();
    Path dir;
    try {
      dir = temp ? Files.createTempDirectory("catdog-kafka-") : Files.createDirectories(settings.dataDir().get());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the broker's data dir", e);
    }
    EmbeddedKafka kafka = new EmbeddedKafka(settings, port, controllerPort, dir, temp);
    kafka.startServer();
    return kafka;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  public BrokerSettings settings() {
    return settings;
  }

  /** Client properties that reach this broker, including SASL credentials when the listener needs them. */
  public Properties clientProperties() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    settings.saslUsers().entrySet().stream().findFirst().ifPresent(user -> p.putAll(saslClientProperties(user.getKey(), user.getValue())));
    return p;
  }

  /** Properties for a client that authenticates with SASL/PLAIN as {@code user}. */
  public static Map<String, String> saslClientProperties(String user, String password) {
    return Map.of(
        "security.protocol", "SASL_PLAINTEXT",
        "sasl.mechanism", "PLAIN",
        "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
            + user + "\" password=\"" + password + "\";");
  }

  /** Creates each topic with the broker's default partition count, leaving existing ones alone. */
  public void createTopics(String... names) {
    createTopics(settings.partitions(), names);
  }

  public void createTopics(int partitions, String... names) {
    List<NewTopic> topics = Stream.of(names).map(n -> new NewTopic(n, partitions, (short) 1)).toList();
    createTopics(topics);
  }

  /** Creates a log-compacted topic, as the models topic needs. */
  public void createCompactedTopic(String name) {
    createTopics(List.of(new NewTopic(name, 1, (short) 1).configs(Map.of("cleanup.policy", "compact"))));
  }

  private void createTopics(List<NewTopic> topics) {
    try (Admin admin = Admin.create(clientProperties())) {
      for (NewTopic topic : topics) {
        try {
          admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("cannot create topic " + topic.name(), e.getCause());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the broker did not create topics within 30 s", e);
    }
  }

  /** Stops the broker and starts it again on the same ports and data, as a broker restart would. */
  public synchronized void restart() {
    stopServer();
    startServer();
  }

  /** Stops the broker without deleting its data; {@link #restart()} or {@link #resume()} brings it back. */
  public synchronized void stop() {
    stopServer();
  }

  public synchronized void resume() {
    if (server == null) {
      startServer();
    }
  }

  @Override
  public synchronized void close() {
    stopServer();
    if (ownsDataDir) {
      deleteRecursively(dataDir);
    }
  }

  private synchronized void startServer() {
    Properties props = BrokerProperties.of(settings, port, controllerPort, dataDir);
    format(props);
    server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
    server.startup();
    awaitReady(Duration.ofSeconds(60));
    log.info("Kafka broker ready on {} (data {})", bootstrapServers(), dataDir);
  }

  private void stopServer() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
      log.info("Kafka broker on {} stopped", bootstrapServers());
    }
  }

  private void format(Properties props) {
    Path file = dataDir.resolve("server.properties");
    try (var out = Files.newOutputStream(file)) {
      props.store(out, "catdog embedded broker");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (PrintStream print = new PrintStream(sink, true, StandardCharsets.UTF_8)) {
      StorageTool.execute(new String[] {"format", "-t", CLUSTER_ID, "-c", file.toString(), "--ignore-formatted"}, print);
    } catch (Exception e) {
      throw new IllegalStateException("cannot format Kafka storage in " + dataDir + ": " + sink, e);
    }
  }

  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Properties p = clientProperties();
    try (Admin admin = Admin.create(p)) {
      while (true) {
        try {
          if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the broker did not become ready within " + timeout, e);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the broker", e);
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("could not delete {}: {}", dir, e.toString());
    }
  }
}
