package catdog.streaming.pipeline;


import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.kafka.ProducerMessage;
import akka.stream.Materializer;
import akka.stream.javadsl.Keep;
import akka.stream.testkit.TestPublisher;
import akka.stream.testkit.TestSubscriber;
import akka.stream.testkit.javadsl.StreamTestKit;
import akka.stream.testkit.javadsl.TestSink;
import akka.stream.testkit.javadsl.TestSource;
import catdog.protocol.ImageEvent;
import catdog.streaming.Settings;
import catdog.streaming.support.FakeModel;
import catdog.streaming.support.TestImages;
import com.google.protobuf.ByteString;
import com.typesafe.config.ConfigFactory;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import akka.japi.Pair;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.TestInstance;

/** The stream testkit plumbing the pipeline-stage tests share: an actor system, probes, records. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FlowTestSupport {
  final ActorTestKit testKit = ActorTestKit.create();
  final ExecutorService pool = Executors.newFixedThreadPool(2);
  final Materializer materializer = Materializer.matFromSystem(testKit.system());

  @AfterEach
  void allStagesStopped() {
    StreamTestKit.assertAllStagesStopped(materializer);
  }

  @AfterAll
  void stop() {
    testKit.shutdownTestKit();
    pool.shutdownNow();
  }

  static Settings settings(Map<String, Object> overrides) {
    return Settings.fromConfig(ConfigFactory.parseMap(overrides).withFallback(ConfigFactory.load()).resolve());
  }

  static Settings settings() {
    return settings(Map.of("catdog.batch.max-size", 4, "catdog.batch.max-delay", "20ms", "catdog.instance-id", "test-1"));
  }

  InferencePipeline.Resources resources(FakeModel model) {
    PipelineMetrics metrics = new PipelineMetrics(new PrometheusRegistry(), Optional::empty);
    return new InferencePipeline.Resources(model, metrics, new PartitionTracker(), pool, Clock.systemUTC());
  }

  static Incoming<Long> record(long offset, String key, byte[] value) {
    return new Incoming<>(new ConsumerRecord<>("images", 0, offset, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value), offset);
  }

  static byte[] event(String id, byte[] image) {
    return ImageEvent.newBuilder().setId(id).setImage(ByteString.copyFrom(image)).setProducedAtMs(System.currentTimeMillis())
        .setKnownLabel(TestImages.knownLabel(id)).build().toByteArray();
  }

  /** Runs records through the flow and returns its envelopes, one per record, in order. */
  List<ProducerMessage.Envelope<byte[], byte[], Long>> run(Settings settings, FakeModel model, List<Incoming<Long>> in) {
    Pair<TestPublisher.Probe<Incoming<Long>>, TestSubscriber.Probe<ProducerMessage.Envelope<byte[], byte[], Long>>> probes =
        TestSource.<Incoming<Long>>probe(testKit.system().classicSystem())
            .via(InferencePipeline.<Long>flow(settings, resources(model)))
            .toMat(TestSink.probe(testKit.system().classicSystem()), Keep.both())
            .run(materializer);
    probes.second().request(in.size() + 1);
    in.forEach(probes.first()::sendNext);
    List<ProducerMessage.Envelope<byte[], byte[], Long>> out = new ArrayList<>();
    for (int i = 0; i < in.size(); i++) {
      out.add(probes.second().expectNext(scala.concurrent.duration.FiniteDuration.create(10, java.util.concurrent.TimeUnit.SECONDS)));
    }
    probes.first().sendComplete();
    probes.second().expectComplete();
    return out;
  }

  static ProducerRecord<byte[], byte[]> recordOf(ProducerMessage.Envelope<byte[], byte[], Long> envelope) {
    return ((ProducerMessage.Message<byte[], byte[], Long>) envelope).record();
  }

}
