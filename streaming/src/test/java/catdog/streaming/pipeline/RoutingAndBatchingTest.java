package catdog.streaming.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import akka.kafka.ProducerMessage;
import akka.stream.javadsl.Keep;
import akka.stream.testkit.TestPublisher;
import akka.stream.testkit.TestSubscriber;
import akka.stream.testkit.javadsl.TestSink;
import akka.stream.testkit.javadsl.TestSource;
import catdog.protocol.Prediction;
import catdog.protocol.PredictionSerde;
import catdog.streaming.Settings;
import catdog.streaming.support.FakeModel;
import catdog.streaming.support.TestImages;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import akka.japi.Pair;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** Batching across a busy model, and routing to canary and shadow models. */
class RoutingAndBatchingTest extends FlowTestSupport {
  @Test
  void shouldBatchWhatQueuedWhileTheModelWasBusyWhenMaxDelayIsZero() throws Exception {
    // One scorer: the model holds it busy while the next images queue behind it.
    Settings settings = settings(Map.of("catdog.batch.max-size", 4, "catdog.batch.max-delay", "0s", "catdog.batch.parallelism", 1,
        "catdog.instance-id", "test-1"));
    FakeModel model = FakeModel.catDog("v1");
    java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
    model.holdRunsUntil(busy);
    InferencePipeline.Resources r = resources(model);
    Pair<TestPublisher.Probe<Incoming<Long>>, TestSubscriber.Probe<ProducerMessage.Envelope<byte[], byte[], Long>>> probes =
        TestSource.<Incoming<Long>>probe(testKit.system().classicSystem())
            .via(InferencePipeline.<Long>flow(settings, r))
            .toMat(TestSink.probe(testKit.system().classicSystem()), Keep.both())
            .run(materializer);
    probes.second().request(100);
    probes.first().sendNext(record(0, "first", event("first", TestImages.jpeg("cat.1004.jpg"))));
    org.awaitility.Awaitility.await().until(() -> model.batches() == 1);
    for (int i = 1; i <= 6; i++) {
      probes.first().sendNext(record(i, "q" + i, event("q" + i, TestImages.jpeg("dog.10034.jpg"))));
    }
    // A full batch of four waits in the batcher while the model is still busy with the first image.
    org.awaitility.Awaitility.await().until(() -> r.metrics().recordsIn.get() >= 5);
    busy.countDown();
    for (int i = 0; i < 7; i++) {
      probes.second().expectNext(scala.concurrent.duration.FiniteDuration.create(10, java.util.concurrent.TimeUnit.SECONDS));
    }
    probes.first().sendComplete();
    probes.second().expectComplete();
    assertThat(model.batchSizes().get(0)).isEqualTo(1);
    assertThat(model.batchSizes()).allSatisfy(n -> assertThat(n).isBetween(1, 4));
    assertThat(model.batchSizes().size()).as("queued images scored together, " + model.batchSizes()).isLessThanOrEqualTo(4);
  }


  @Test
  void shouldMarkCanaryPredictionsAndWriteShadowPredictionsToTheShadowTopicOnly() {
    FakeModel serving = FakeModel.catDog("v1");
    FakeModel canary = FakeModel.catDog("v2-canary");
    FakeModel shadow = FakeModel.catDog("v3-shadow");
    catdog.streaming.inference.ModelLeases routed = new catdog.streaming.inference.ModelLeases() {
      @Override
      public Optional<catdog.streaming.inference.ModelLease> acquire() {
        return serving.acquire();
      }

      @Override
      public List<Routed> route(List<String> keys) {
        int[] toCanary = java.util.stream.IntStream.range(0, keys.size()).filter(i -> keys.get(i).startsWith("canary")).toArray();
        int[] toServing = java.util.stream.IntStream.range(0, keys.size()).filter(i -> !keys.get(i).startsWith("canary")).toArray();
        List<Routed> parts = new ArrayList<>();
        parts.add(new Routed(serving.acquire().orElseThrow(), toServing));
        catdog.streaming.inference.ModelLease c = canary.acquire().orElseThrow();
        parts.add(new Routed(new catdog.streaming.inference.ModelLease() {
          public catdog.streaming.inference.ModelInfo info() { return c.info(); }
          public catdog.streaming.inference.BatchResult run(float[] batch, int n) { return c.run(batch, n); }
          public boolean canary() { return true; }
          public void close() { c.close(); }
        }, toCanary));
        return parts;
      }

      @Override
      public Optional<catdog.streaming.inference.ModelLease> acquireShadow() {
        return shadow.acquire();
      }
    };
    PipelineMetrics metrics = new PipelineMetrics(new PrometheusRegistry(), Optional::empty);
    InferencePipeline.Resources r = new InferencePipeline.Resources(routed, metrics, new PartitionTracker(), pool, Clock.systemUTC());
    List<Incoming<Long>> in = List.of(record(0, "plain-1", event("plain-1", TestImages.jpeg("cat.1004.jpg"))),
        record(1, "canary-1", event("canary-1", TestImages.jpeg("dog.10034.jpg"))));
    Pair<TestPublisher.Probe<Incoming<Long>>, TestSubscriber.Probe<ProducerMessage.Envelope<byte[], byte[], Long>>> probes =
        TestSource.<Incoming<Long>>probe(testKit.system().classicSystem()).via(InferencePipeline.<Long>flow(settings(), r))
            .toMat(TestSink.probe(testKit.system().classicSystem()), Keep.both()).run(materializer);
    probes.second().request(3);
    in.forEach(probes.first()::sendNext);
    List<ProducerMessage.Envelope<byte[], byte[], Long>> out = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      out.add(probes.second().expectNext(scala.concurrent.duration.FiniteDuration.create(10, java.util.concurrent.TimeUnit.SECONDS)));
    }
    probes.first().sendComplete();
    probes.second().expectComplete();

    PredictionSerde serde = new PredictionSerde();
    for (int i = 0; i < 2; i++) {
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(scala.jdk.javaapi.CollectionConverters.asJava(((ProducerMessage.MultiMessage<byte[], byte[], Long>) out.get(i)).records()));
      assertThat(out.get(i).passThrough()).isEqualTo((long) i);
      assertThat(records).extracting(ProducerRecord::topic).containsExactly("predictions", "predictions.shadow");
      Prediction main = serde.deserialize("predictions", records.get(0).value());
      Prediction copy = serde.deserialize("predictions.shadow", records.get(1).value());
      assertThat(main.getCanary()).isEqualTo(i == 1);
      assertThat(main.getModelVersion()).isEqualTo(i == 1 ? "v2-canary" : "v1");
      assertThat(copy.getModelVersion()).isEqualTo("v3-shadow");
      assertThat(copy.getId()).isEqualTo(main.getId());
    }
    assertThat(serving.released()).isEqualTo(serving.acquired());
    assertThat(canary.released()).isEqualTo(canary.acquired());
    assertThat(shadow.released()).isEqualTo(shadow.acquired());
  }

}
