package catdog.streaming.admin;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import catdog.protocol.MalformedPayloadException;
import catdog.protocol.ModelUpdate;
import catdog.protocol.ModelUpdateSerde;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this instance on the model the fleet published. Every instance reads the whole compacted models
 * topic from the beginning, without a consumer group, so each one sees every update. At start it applies
 * only the latest update of the serving model's name (of any name when nothing serves yet), then each new
 * update as it arrives. Updates are verified against their sha256 and applied one at a time through the
 * registry, which refuses a bad model and keeps serving the current one.
 */
public final class ModelsTopicFollower implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ModelsTopicFollower.class);
  private static final Duration ASK_TIMEOUT = Duration.ofMinutes(2);

  private final Map<String, Object> clientProperties;
  private final String topic;
  private final ActorRef<ModelRegistry.Command> registry;
  private final ActorSystem<?> system;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final CompletableFuture<Done> caughtUp = new CompletableFuture<>();
  private final ModelUpdateSerde serde = new ModelUpdateSerde();
  private final Thread thread;
  private volatile Optional<KafkaConsumer<String, byte[]>> consumer = Optional.empty();

  private ModelsTopicFollower(Map<String, Object> clientProperties, String topic, ActorRef<ModelRegistry.Command> registry, ActorSystem<?> system) {
    this.clientProperties = clientProperties;
    this.topic = topic;
    this.registry = registry;
    this.system = system;
    this.thread = new Thread(this::run, "catdog-models-topic");
    thread.setDaemon(true);
  }

  /**
   * @param clientProperties kafka-clients properties: {@code bootstrap.servers} and any security settings
   */
  public static ModelsTopicFollower start(Map<String, Object> clientProperties, String topic, ActorRef<ModelRegistry.Command> registry,
      ActorSystem<?> system) {
    ModelsTopicFollower follower = new ModelsTopicFollower(clientProperties, topic, registry, system);
    follower.thread.start();
    return follower;
  }

  /** Completes once the updates on the topic at start have been applied (or refused). */
  public CompletionStage<Done> caughtUp() {
    return caughtUp;
  }

  @Override
  public void close() {
    stop.countDown();
    consumer.ifPresent(KafkaConsumer::wakeup);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, ModelPublisher.MAX_RECORD_BYTES);
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer = Optional.of(c);
      if (stop.getCount() == 0) {
        return;
      }
      List<TopicPartition> partitions = awaitTopic(c);
      c.assign(partitions);
      c.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = c.endOffsets(partitions);
      Map<String, ModelUpdate> latest = new LinkedHashMap<>();
      while (partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
          parse(r).ifPresent(u -> {
            latest.remove(u.getName());
            latest.put(u.getName(), u);
          });
        }
      }
      Optional<String> serving = servingName();
      Optional<ModelUpdate> pick = serving.map(latest::get).or(() -> latest.values().stream().reduce((a, b) -> b));
      log.info("Models topic {}: {} model name(s) published, applying {}", topic, latest.size(),
          pick.map(u -> u.getName() + "@" + u.getVersion()).orElse("nothing"));
      pick.ifPresent(this::apply);
      caughtUp.complete(Done.getInstance());
      while (stop.getCount() > 0) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofSeconds(1))) {
          Optional<String> name = servingName();
          parse(r).filter(u -> name.isEmpty() || name.get().equals(u.getName())).ifPresent(this::apply);
        }
      }
    } catch (WakeupException | InterruptedException e) {
      log.debug("Models topic follower stopped");
    } catch (RuntimeException e) {
      log.error("The models topic follower failed; this instance no longer follows {}", topic, e);
      caughtUp.completeExceptionally(e);
    }
  }

  /** Waits for the topic to exist: it is created by the first publish. */
  private List<TopicPartition> awaitTopic(KafkaConsumer<String, byte[]> c) throws InterruptedException {
    while (true) {
      List<TopicPartition> partitions = c.partitionsFor(topic, Duration.ofSeconds(5)).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      if (!partitions.isEmpty()) {
        return partitions;
      }
      if (!caughtUp.isDone()) {
        log.info("Models topic {} does not exist yet; nothing published, following it once it does", topic);
        caughtUp.complete(Done.getInstance());
      }
      if (stop.await(2, TimeUnit.SECONDS)) {
        throw new InterruptedException("stopped");
      }
    }
  }

  private Optional<ModelUpdate> parse(ConsumerRecord<String, byte[]> r) {
    try {
      return Optional.of(serde.deserialize(r.topic(), r.value()));
    } catch (MalformedPayloadException e) {
      log.warn("Skipping a malformed model update at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
      return Optional.empty();
    }
  }

  private void apply(ModelUpdate update) {
    String id = update.getName() + "@" + update.getVersion();
    ModelUpdates.Resolved resolved = ModelUpdates.resolve(update);
    if (resolved instanceof ModelUpdates.Resolved.Invalid invalid) {
      log.warn("Refused model update {} from topic {}: {}", id, topic, invalid.reason());
      return;
    }
    ModelUpdates.Resolved.Model model = (ModelUpdates.Resolved.Model) resolved;
    for (int attempt = 1; ; attempt++) {
      try {
        ModelRegistry.ModelSwapped swapped = AskPattern.<ModelRegistry.Command, ModelRegistry.ModelSwapped>askWithStatus(registry,
            r -> new ModelRegistry.LoadModel(new ModelSource.Bytes(model.onnx(), model.origin()), r), ASK_TIMEOUT, system.scheduler())
            .toCompletableFuture().get();
        log.info("Applied model update {} from topic {}: serving {}", id, topic, swapped.current().id());
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WakeupException();
      } catch (java.util.concurrent.ExecutionException e) {
        String reason = String.valueOf(e.getCause().getMessage());
        // Another swap (from the HTTP API) is loading: ours comes after it, as the latest published.
        if (!reason.contains("still loading") || attempt >= 60 || stopped(Duration.ofSeconds(1))) {
          log.warn("Model update {} from topic {} not applied: {}", id, topic, reason);
          return;
        }
      }
    }
  }

  private boolean stopped(Duration wait) {
    try {
      return stop.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WakeupException();
    }
  }

  private Optional<String> servingName() {
    return AskPattern.<ModelRegistry.Command, ModelRegistry.Status>ask(registry, ModelRegistry.GetStatus::new, ASK_TIMEOUT, system.scheduler())
        .toCompletableFuture().join().current().map(v -> v.info().name());
  }
}
