package catdog.streaming.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import akka.japi.Pair;
import akka.kafka.ProducerSettings;
import akka.stream.javadsl.Keep;
import akka.stream.testkit.TestPublisher;
import akka.stream.testkit.TestSubscriber;
import akka.stream.testkit.javadsl.TestSink;
import akka.stream.testkit.javadsl.TestSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The batch producer against kafka-clients' MockProducer, whose acknowledgements the test hands out one by one. */
class BatchProducerTest extends FlowTestSupport {
  private MockProducer<byte[], byte[]> producer;

  @BeforeEach
  void newProducer() { // the class shares one instance across tests (FlowTestSupport), so not a final field
    producer = new MockProducer<>(false, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static BatchProducer.Batch<String> batch(String name, int records) {
    List<ProducerRecord<byte[], byte[]>> outputs = java.util.stream.IntStream.range(0, records)
        .mapToObj(i -> new ProducerRecord<byte[], byte[]>("predictions", (name + i).getBytes(), new byte[] {1})).toList();
    return new BatchProducer.Batch<>(outputs, records, name);
  }

  @Test
  void shouldCompleteABatchOnlyWhenTheBrokerAcknowledgedEveryOutput() {
    CompletableFuture<BatchProducer.Batch<String>> sent = BatchProducer.send(producer, batch("a", 3)).toCompletableFuture();
    assertThat(producer.history()).hasSize(3);
    producer.completeNext();
    producer.completeNext();
    assertThat(sent).isNotDone();
    producer.completeNext();
    assertThat(sent).isCompletedWithValueMatching(b -> b.passThrough().equals("a"));
    assertThat(BatchProducer.send(producer, batch("empty", 0)).toCompletableFuture()).isCompletedWithValueMatching(b -> b.inputs() == 0);
  }

  @Test
  void shouldFailABatchWithItsFirstFailedOutputOrARefusedSend() {
    CompletableFuture<BatchProducer.Batch<String>> sent = BatchProducer.send(producer, batch("a", 2)).toCompletableFuture();
    producer.errorNext(new RecordTooLargeException("too big"));
    assertThat(sent).isCompletedExceptionally();

    producer.close();
    assertThat(BatchProducer.send(producer, batch("b", 2)).toCompletableFuture()).isCompletedExceptionally();
  }

  @Test
  void shouldPassBatchesOnInInputOrderAndCloseTheProducerWhenTheStreamEnds() {
    Pair<TestPublisher.Probe<BatchProducer.Batch<String>>, TestSubscriber.Probe<BatchProducer.Batch<String>>> probes = run();
    probes.second().request(2);
    probes.first().sendNext(batch("first", 2)).sendNext(batch("second", 1));
    awaitSent(3);
    for (int i = 0; i < 3; i++) {
      producer.completeNext();
    }
    assertThat(probes.second().expectNext().passThrough()).isEqualTo("first");
    assertThat(probes.second().expectNext().passThrough()).isEqualTo("second");
    probes.first().sendComplete();
    probes.second().expectComplete();
    awaitClosed(); // the stream closes it as it terminates, just after telling downstream
  }

  @Test
  void shouldFailTheStreamAndCloseTheProducerWhenAnOutputFails() {
    Pair<TestPublisher.Probe<BatchProducer.Batch<String>>, TestSubscriber.Probe<BatchProducer.Batch<String>>> probes = run();
    probes.second().request(1);
    probes.first().sendNext(batch("first", 1));
    awaitSent(1);
    producer.errorNext(new RecordTooLargeException("too big"));
    assertThat(probes.second().expectError()).isInstanceOf(RecordTooLargeException.class);
    awaitClosed();
  }

  private Pair<TestPublisher.Probe<BatchProducer.Batch<String>>, TestSubscriber.Probe<BatchProducer.Batch<String>>> run() {
    ProducerSettings<byte[], byte[]> settings = ProducerSettings.create(testKit.system(), new ByteArraySerializer(), new ByteArraySerializer())
        .withProducer(producer).withCloseTimeout(Duration.ofSeconds(1));
    return TestSource.<BatchProducer.Batch<String>>probe(testKit.system().classicSystem())
        .via(BatchProducer.<String>flow(settings))
        .toMat(TestSink.probe(testKit.system().classicSystem()), Keep.both())
        .run(materializer);
  }

  private void awaitClosed() {
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(producer::closed);
  }

  private void awaitSent(int records) {
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == records);
  }
}
