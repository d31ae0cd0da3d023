package catdog.cli.consume;

import catdog.protocol.DeadLetter;
import catdog.protocol.DeadLetterSerde;
import catdog.protocol.ImageEvent;
import catdog.protocol.ImageEventSerde;
import catdog.protocol.MalformedPayloadException;
import catdog.protocol.PredictionSerde;
import catdog.protocol.ProtobufJson;
import com.google.protobuf.ByteString;
import com.google.protobuf.MessageOrBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Turns a record value into one line of JSON. The topic name says what to expect ({@code *.dlq} dead
 * letters, {@code *prediction*} predictions, {@code *image*} image events); when it does not, or the value
 * is not what the name promises, each type is tried in turn: Prediction, DeadLetter, ImageEvent.
 */
final class RecordFormatter {
  private final PredictionSerde predictions = new PredictionSerde();
  private final DeadLetterSerde deadLetters = new DeadLetterSerde();
  private final ImageEventSerde images = new ImageEventSerde();
  private final boolean withBytes;

  RecordFormatter(boolean withBytes) {
    this.withBytes = withBytes;
  }

  /** The JSON line, or the reason why no catdog message type reads these bytes. */
  sealed interface Formatted {
    record Json(String line) implements Formatted {}

    record Unreadable(String reason) implements Formatted {}
  }

  Formatted format(String topic, byte[] value) {
    List<String> reasons = new ArrayList<>(3);
    for (Function<byte[], MessageOrBuilder> reader : readers(topic)) {
      try {
        return new Formatted.Json(ProtobufJson.print(reader.apply(value)));
      } catch (MalformedPayloadException e) {
        reasons.add(e.getMessage());
      }
    }
    return new Formatted.Unreadable(String.join("; ", reasons));
  }

  private List<Function<byte[], MessageOrBuilder>> readers(String topic) {
    Function<byte[], MessageOrBuilder> prediction = v -> predictions.deserialize(topic, v);
    Function<byte[], MessageOrBuilder> deadLetter = v -> shrink(deadLetters.deserialize(topic, v));
    Function<byte[], MessageOrBuilder> image = v -> shrink(images.deserialize(topic, v));
    String name = topic.toLowerCase(Locale.ROOT);
    if (name.endsWith(".dlq") || name.contains("dead")) {
      return List.of(deadLetter, prediction, image);
    }
    if (name.contains("image")) {
      return List.of(image, prediction, deadLetter);
    }
    return List.of(prediction, deadLetter, image);
  }

  // Megabytes of base64 help nobody on a console; the size says what was there.
  private MessageOrBuilder shrink(ImageEvent event) {
    if (withBytes) {
      return event;
    }
    return event.toBuilder().setImage(ByteString.EMPTY)
        .putAttributes("image_bytes", Integer.toString(event.getImage().size())).build();
  }

  private MessageOrBuilder shrink(DeadLetter letter) {
    return withBytes ? letter : letter.toBuilder().setValue(ByteString.EMPTY).build();
  }
}
