package catdog.streaming.pipeline;

import catdog.protocol.ImageEvent;
import catdog.protocol.ImageEventSerde;
import catdog.protocol.MalformedPayloadException;
import catdog.streaming.Settings.InputFormat;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads an image out of a record in its topic's input format. Never throws on bad bytes: they are a value. */
final class InputParser {
  private final Function<String, InputFormat> formatOfTopic;
  private final ImageEventSerde serde = new ImageEventSerde();

  InputParser(Function<String, InputFormat> formatOfTopic) {
    this.formatOfTopic = formatOfTopic;
  }

  /** The outcome of parsing one record. */
  sealed interface Parsed {
    record Image(ImageInput input) implements Parsed {}

    record Rejected(String kind, String reason) implements Parsed {}
  }

  Parsed parse(ConsumerRecord<byte[], byte[]> record) {
    return formatOfTopic.apply(record.topic()) == InputFormat.RAW ? raw(record) : protobuf(record);
  }

  private Parsed protobuf(ConsumerRecord<byte[], byte[]> record) {
    ImageEvent event;
    try {
      event = serde.deserialize(record.topic(), record.value());
    } catch (MalformedPayloadException e) {
      return new Parsed.Rejected(e.kind().name(), e.getMessage());
    }
    OptionalInt known = event.hasKnownLabel() ? OptionalInt.of(event.getKnownLabel()) : OptionalInt.empty();
    return new Parsed.Image(new ImageInput(event.getId(), event.getImage().toByteArray(), event.getProducedAtMs(), known));
  }

  /** The value is the image, the key its id; the magic bytes say whether it is an image at all. */
  private Parsed raw(ConsumerRecord<byte[], byte[]> record) {
    byte[] value = record.value();
    if (value == null) {
      return new Parsed.Rejected(MalformedPayloadException.Kind.NULL_PAYLOAD.name(), "the record has no value");
    }
    if (value.length == 0) {
      return new Parsed.Rejected("EMPTY_IMAGE", "the image has no bytes");
    }
    if (contentType(value).isEmpty()) {
      return new Parsed.Rejected("UNSUPPORTED_FORMAT", "raw input is not a JPEG or PNG image (magic bytes do not match)");
    }
    String id = record.key() == null || record.key().length == 0
        ? record.topic() + "/" + record.partition() + "/" + record.offset()
        : new String(record.key(), StandardCharsets.UTF_8);
    return new Parsed.Image(new ImageInput(id, value, record.timestamp(), OptionalInt.empty()));
  }

  /** image/jpeg or image/png from the magic bytes; empty when it is neither. */
  static String contentType(byte[] b) {
    if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
      return "image/jpeg";
    }
    if (b.length >= 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G'
        && b[4] == 0x0D && b[5] == 0x0A && b[6] == 0x1A && b[7] == 0x0A) {
      return "image/png";
    }
    return "";
  }
}
