package catdog.streaming.pipeline;

import catdog.protocol.ClassProbability;
import catdog.protocol.DeadLetter;
import catdog.protocol.DeadLetterSerde;
import catdog.protocol.Prediction;
import catdog.protocol.PredictionSerde;
import catdog.protocol.ProtobufJson;
import catdog.streaming.Settings;
import catdog.streaming.inference.ModelInfo;
import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Builds the records the service writes: one prediction or one dead letter per input record. */
final class Outputs {
  private final Settings.Topics topics;
  private final Settings.OutputFormat format;
  private final String instanceId;
  private final int maxDeadLetterValueBytes;
  private final Clock clock;
  private final PredictionSerde predictionSerde = new PredictionSerde();
  private final DeadLetterSerde deadLetterSerde = new DeadLetterSerde();

  Outputs(Settings.Topics topics, Settings.OutputFormat format, String instanceId, int maxDeadLetterValueBytes, Clock clock) {
    this.topics = topics;
    this.maxDeadLetterValueBytes = maxDeadLetterValueBytes;
    this.format = format;
    this.instanceId = instanceId;
    this.clock = clock;
  }

  ProducerRecord<byte[], byte[]> prediction(ConsumerRecord<byte[], byte[]> source, ImageInput input, ModelInfo model,
      float[] probabilities, int batchSize, boolean canary) {
    return record(topics.predictions(), predictionOf(source, input, model, probabilities, batchSize).setCanary(canary).build(), input);
  }

  /** A shadow candidate's answer for the same record, on the shadow topic only: nobody acts on it. */
  ProducerRecord<byte[], byte[]> shadowPrediction(ConsumerRecord<byte[], byte[]> source, ImageInput input, ModelInfo model,
      float[] probabilities, int batchSize) {
    return record(topics.shadowPredictions(), predictionOf(source, input, model, probabilities, batchSize).build(), input);
  }

  private ProducerRecord<byte[], byte[]> record(String topic, Prediction prediction, ImageInput input) {
    byte[] value = format == Settings.OutputFormat.JSON
        ? ProtobufJson.print(prediction).getBytes(StandardCharsets.UTF_8)
        : predictionSerde.serialize(topic, prediction);
    return new ProducerRecord<>(topic, input.id().getBytes(StandardCharsets.UTF_8), value);
  }

  private Prediction.Builder predictionOf(ConsumerRecord<byte[], byte[]> source, ImageInput input, ModelInfo model,
      float[] probabilities, int batchSize) {
    int best = 0;
    for (int i = 1; i < probabilities.length; i++) {
      if (probabilities[i] > probabilities[best]) {
        best = i;
      }
    }
    Prediction.Builder p = Prediction.newBuilder()
        .setId(input.id())
        .setLabel(model.labels().get(best))
        .setClassIndex(best)
        .setModelName(model.name())
        .setModelVersion(model.version())
        .setSourceTopic(source.topic())
        .setSourcePartition(source.partition())
        .setSourceOffset(source.offset())
        .setProducedAtMs(input.producedAtMs())
        .setPredictedAtMs(clock.millis())
        .setBatchSize(batchSize);
    for (int i = 0; i < probabilities.length; i++) {
      p.addProbabilities(ClassProbability.newBuilder().setLabel(model.labels().get(i)).setProbability(probabilities[i]));
    }
    input.knownLabel().ifPresent(p::setKnownLabel);
    return p;
  }

  /**
   * A dead letter keeps the original key and value byte for byte, so it can be replayed once fixed; a value
   * too big to fit a Kafka record next to it is left out (the reason says so) rather than fail the write.
   */
  ProducerRecord<byte[], byte[]> deadLetter(ConsumerRecord<byte[], byte[]> source, String kind, String reason) {
    DeadLetter.Builder d = DeadLetter.newBuilder()
        .setSourceTopic(source.topic())
        .setSourcePartition(source.partition())
        .setSourceOffset(source.offset())
        .setErrorKind(kind)
        .setMessage(reason)
        .setServiceInstance(instanceId)
        .setFailedAtMs(clock.millis());
    if (source.key() != null) {
      d.setKey(ByteString.copyFrom(source.key()));
    }
    if (source.value() != null && source.value().length <= maxDeadLetterValueBytes) {
      d.setValue(ByteString.copyFrom(source.value()));
    } else if (source.value() != null) {
      d.setMessage(reason + " (original value of " + source.value().length + " bytes not kept: over "
          + maxDeadLetterValueBytes + " bytes)");
    }
    return new ProducerRecord<>(topics.deadLetters(), source.key(), deadLetterSerde.serialize(topics.deadLetters(), d.build()));
  }
}
