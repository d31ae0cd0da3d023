package catdog.streaming.pipeline;

import akka.Done;
import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.kafka.CommitterSettings;
import akka.kafka.ConsumerMessage;
import akka.kafka.ConsumerSettings;
import akka.kafka.ProducerMessage;
import akka.kafka.ProducerSettings;
import akka.kafka.Subscription;
import akka.kafka.Subscriptions;
import akka.kafka.javadsl.Committer;
import akka.kafka.javadsl.Consumer;
import akka.kafka.javadsl.Transactional;
import akka.stream.RestartSettings;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.RestartSource;
import akka.stream.javadsl.RunnableGraph;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import catdog.streaming.Settings;
import catdog.streaming.inference.ImageLimits;
import catdog.streaming.inference.ModelLeases;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The service's stream, built without running it: images topic → batch → on a compute thread per batch,
 * parse, decode and preprocess into the batch's input and score it with the serving model → one prediction
 * or dead letter per record → produce → commit. In at-least-once mode a batch's offsets are committed only
 * after all of its outputs are acknowledged; in exactly-once mode outputs and offsets share a transaction.
 * The Kafka part restarts with backoff on failure, resuming from the last commit.
 */
public final class InferencePipeline {
  private InferencePipeline() {}

  /**
   * What the pipeline works with besides its settings.
   *
   * @param compute where batches are decoded and scored, one per thread, with up to {@code
   *     settings.batch().parallelism()} handed to it at a time; ONNX Runtime blocks, so never a dispatcher thread
   */
  public record Resources(ModelLeases leases, PipelineMetrics metrics, PartitionTracker partitions, Executor compute, Clock clock) {}

  /**
   * The Kafka-free heart, for tests and for both delivery modes: one envelope per record, in input order,
   * each carrying the record's offset through.
   */
  public static <P> Flow<Incoming<P>, ProducerMessage.Envelope<byte[], byte[], P>, NotUsed> flow(Settings settings, Resources r) {
    return InferencePipeline.<P>answers(settings, r).mapConcat(answers -> {
      List<ProducerMessage.Envelope<byte[], byte[], P>> envelopes = new ArrayList<>(answers.size());
      for (Scorer.Answer<P> answer : answers) {
        envelopes.add(answer.records().size() == 1
            ? ProducerMessage.single(answer.records().get(0), answer.offset())
            : ProducerMessage.multi(answer.records(), answer.offset()));
      }
      return envelopes;
    });
  }

  /** Batches records as they arrive and answers each batch on a compute thread, in input order. */
  static <P> Flow<Incoming<P>, List<Scorer.Answer<P>>, NotUsed> answers(Settings settings, Resources r) {
    Decoder decoder = new Decoder(new InputParser(settings::inputFormatOf),
        new ImageLimits(settings.decode().maxBytes(), settings.decode().maxPixels()), r.metrics());
    Outputs outputs = new Outputs(settings.topics(), settings.outputFormat(), settings.instanceId(),
        settings.decode().deadLetterMaxValueBytes(), r.clock());
    Scorer scorer = new Scorer(r.leases(), decoder, outputs, r.metrics());
    Settings.Batch batch = settings.batch();
    return Flow.<Incoming<P>>create()
        .map(in -> {
          r.metrics().recordsIn.inc();
          return new Scorer.Queued<>(in, System.nanoTime());
        })
        .via(InferencePipeline.<Scorer.Queued<P>>batcher(batch))
        .mapAsync(batch.parallelism(), queued -> CompletableFuture.supplyAsync(() -> scorer.score(queued), r.compute()));
  }

  /**
   * Forms batches across partitions. With a max delay, a batch waits at most that long to fill, timed to
   * the microsecond ({@link Batcher}). With a zero delay nothing waits: a batch is whatever queued while
   * the previous one was scored, one image when idle and up to max-size under load.
   */
  static <T> Flow<T, List<T>, NotUsed> batcher(Settings.Batch batch) {
    if (batch.maxDelay().isZero()) {
      return Flow.<T>create().batch(batch.maxSize(), first -> {
        List<T> list = new ArrayList<>(batch.maxSize());
        list.add(first);
        return list;
      }, (list, next) -> {
        list.add(next);
        return list;
      });
    }
    return Flow.fromGraph(new Batcher<T>(batch.maxSize(), batch.maxDelay()));
  }

  /** The whole service stream in the configured delivery mode; run it and keep the DrainingControl. */
  public static RunnableGraph<Consumer.DrainingControl<Done>> create(Settings settings, ActorSystem<?> system, Resources r) {
    CurrentControl control = new CurrentControl();
    r.metrics().consumerMetricsFrom(control::getMetrics);
    Settings.Restart restart = settings.kafka().restart();
    RestartSettings restartSettings = RestartSettings.create(restart.minBackoff(), restart.maxBackoff(), restart.randomFactor())
        // Wrong credentials or missing rights do not heal by retrying: fail and let the service say so.
        .withRestartOn(e -> !(e instanceof AuthenticationException || e instanceof AuthorizationException));
    Source<Done, NotUsed> restarting = RestartSource.onFailuresWithBackoff(restartSettings,
        () -> settings.delivery().mode() == Settings.DeliveryMode.EXACTLY_ONCE
            ? exactlyOnce(settings, system, r, control)
            : atLeastOnce(settings, system, r, control));
    return restarting.toMat(Sink.ignore(), Keep.right()).mapMaterializedValue(done -> Consumer.createDrainingControl(control, done));
  }

  private static Source<Done, NotUsed> atLeastOnce(Settings settings, ActorSystem<?> system, Resources r, CurrentControl control) {
    CommitterSettings committer = CommitterSettings.create(system)
        .withMaxBatch(settings.kafka().commitMaxBatch())
        .withMaxInterval(settings.kafka().commitMaxInterval());
    String predictions = settings.topics().predictions();
    return Consumer.committableSource(consumerSettings(settings, system), subscription(settings, r))
        .mapMaterializedValue(c -> {
          control.set(c);
          return NotUsed.getInstance();
        })
        .map(m -> new Incoming<ConsumerMessage.CommittableOffset>(m.record(), m.committableOffset()))
        .via(InferencePipeline.<ConsumerMessage.CommittableOffset>answers(settings, r))
        .map(InferencePipeline::batchOutputs)
        .via(BatchProducer.flow(producerSettings(settings, system)))
        .map(sent -> {
          r.metrics().acknowledged(sent.records(), sent.inputs(), predictions);
          return sent.passThrough();
        })
        .via(Committer.flow(committer));
  }

  /**
   * All of a batch's outputs together, with the batch's offsets: they are committed once every output of the
   * batch is acknowledged, where each record's offset waited for its own outputs before. No sooner, and one
   * offset batch for the committer instead of one per record.
   */
  private static BatchProducer.Batch<ConsumerMessage.Committable> batchOutputs(
      List<Scorer.Answer<ConsumerMessage.CommittableOffset>> answers) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(answers.size());
    List<ConsumerMessage.CommittableOffset> offsets = new ArrayList<>(answers.size());
    for (Scorer.Answer<ConsumerMessage.CommittableOffset> answer : answers) {
      records.addAll(answer.records());
      offsets.add(answer.offset());
    }
    return new BatchProducer.Batch<>(records, answers.size(), ConsumerMessage.createCommittableOffsetBatch(offsets));
  }

  private static Source<Done, NotUsed> exactlyOnce(Settings settings, ActorSystem<?> system, Resources r, CurrentControl control) {
    ConsumerSettings<byte[], byte[]> consumer = consumerSettings(settings, system)
        .withProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    ProducerSettings<byte[], byte[]> producer = producerSettings(settings, system)
        .withEosCommitInterval(settings.delivery().transactionInterval())
        .withProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(settings.delivery().transactionTimeout().toMillis()));
    String predictions = settings.topics().predictions();
    return Transactional.source(consumer, subscription(settings, r))
        .mapMaterializedValue(c -> {
          control.set(c);
          return NotUsed.getInstance();
        })
        .map(m -> new Incoming<ConsumerMessage.PartitionOffset>(m.record(), m.partitionOffset()))
        .via(InferencePipeline.<ConsumerMessage.PartitionOffset>flow(settings, r))
        .via(Transactional.<byte[], byte[], ProducerMessage.Envelope<byte[], byte[], ConsumerMessage.PartitionOffset>>flow(
            producer, settings.delivery().transactionalId()))
        .map(results -> {
          r.metrics().acknowledged(results, 1, predictions);
          return Done.getInstance();
        });
  }

  private static Subscription subscription(Settings settings, Resources r) {
    return Subscriptions.topics(Set.copyOf(settings.topics().imageTopics())).withPartitionAssignmentHandler(r.partitions());
  }

  /** The consumer: stops at once when drained (DrainingControl waits for in-flight records instead). */
  public static ConsumerSettings<byte[], byte[]> consumerSettings(Settings settings, ActorSystem<?> system) {
    return ConsumerSettings.create(system, new ByteArrayDeserializer(), new ByteArrayDeserializer())
        .withProperties(settings.kafka().consumerProperties())
        .withBootstrapServers(settings.kafka().bootstrapServers())
        .withGroupId(settings.kafka().groupId())
        .withStopTimeout(Duration.ZERO);
  }

  public static ProducerSettings<byte[], byte[]> producerSettings(Settings settings, ActorSystem<?> system) {
    return ProducerSettings.create(system, new ByteArraySerializer(), new ByteArraySerializer())
        .withProperties(settings.kafka().producerProperties())
        .withBootstrapServers(settings.kafka().bootstrapServers());
  }
}
