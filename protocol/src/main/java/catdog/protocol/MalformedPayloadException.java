package catdog.protocol;

import org.apache.kafka.common.errors.SerializationException;

/** A record value that is not the message its topic promises. The kind is stable; the message is for humans. */
public final class MalformedPayloadException extends SerializationException {
  private static final long serialVersionUID = 1L;

  /** What was wrong, as a machine-readable kind that dead letters and metrics carry. */
  public enum Kind {
    /** The record had no value at all (a tombstone). */
    NULL_PAYLOAD,
    /** The value was zero bytes long. */
    EMPTY_PAYLOAD,
    /** The bytes are not valid protobuf wire format. */
    NOT_PROTOBUF,
    /** The bytes parse, but a field the message cannot do without is missing or empty. */
    MISSING_FIELD
  }

  private final Kind kind;
  private final String messageType;

  public MalformedPayloadException(Kind kind, String messageType, String detail, Throwable cause) {
    super(messageType + ": " + detail, cause);
    this.kind = kind;
    this.messageType = messageType;
  }

  public MalformedPayloadException(Kind kind, String messageType, String detail) {
    this(kind, messageType, detail, null);
  }

  public Kind kind() {
    return kind;
  }

  /** The message type that was expected, e.g. {@code ImageEvent}. */
  public String messageType() {
    return messageType;
  }
}
