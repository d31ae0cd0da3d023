package catdog.protocol;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import com.google.protobuf.UnsafeByteOperations;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serializer, deserializer and serde in one for a protobuf message type. Subclasses name the type and
 * list the fields it cannot do without; protobuf alone accepts almost any short byte string as a valid
 * message with unknown fields, so the required-field check is what tells "not an ImageEvent" apart.
 */
abstract class ProtobufSerde<T extends MessageLite> implements Serializer<T>, Deserializer<T>, Serde<T> {
  private final Parser<T> parser;
  private final String typeName;

  ProtobufSerde(Parser<T> parser, String typeName) {
    this.parser = parser;
    this.typeName = typeName;
  }

  /** The names of required fields that are missing or empty in a parsed message; empty when it is whole. */
  abstract List<String> missingFields(T message);

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      throw new IllegalArgumentException("cannot serialize a null " + typeName);
    }
    return data.toByteArray();
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      throw new MalformedPayloadException(MalformedPayloadException.Kind.NULL_PAYLOAD, typeName, "the record has no value");
    }
    if (data.length == 0) {
      throw new MalformedPayloadException(MalformedPayloadException.Kind.EMPTY_PAYLOAD, typeName, "the record value is empty");
    }
    T message;
    try {
      // Bytes fields alias the record value instead of copying it: an ImageEvent's image is most of the
      // record, and the copy was a tenth of the service's allocation per image. Kafka hands each record its
      // own array and nothing writes to it afterwards. Protobuf aliases only an input it treats as immutable:
      // from CodedInputStream.newInstance(byte[]) it copies whatever enableAliasing says.
      CodedInputStream in = UnsafeByteOperations.unsafeWrap(data).newCodedInput();
      in.enableAliasing(true);
      message = parser.parseFrom(in);
      // What parseFrom(byte[]) checks and parseFrom(CodedInputStream) does not: the parse ended at the end of
      // the value, not at a stray end-group tag with bytes left over.
      in.checkLastTagWas(0);
    } catch (InvalidProtocolBufferException e) {
      throw new MalformedPayloadException(
          MalformedPayloadException.Kind.NOT_PROTOBUF, typeName, "not protobuf wire format (" + e.getMessage() + ")", e);
    }
    List<String> missing = missingFields(message);
    if (!missing.isEmpty()) {
      throw new MalformedPayloadException(
          MalformedPayloadException.Kind.MISSING_FIELD, typeName, "missing or empty required field(s) " + String.join(", ", missing));
    }
    return message;
  }

  @Override
  public Serializer<T> serializer() {
    return this;
  }

  @Override
  public Deserializer<T> deserializer() {
    return this;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    // stateless: nothing to configure
  }

  @Override
  public void close() {
    // stateless: nothing to release
  }
}
