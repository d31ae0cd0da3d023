package catdog.streaming.inference;

/** The outcome of turning one encoded image into a tensor: ready, or refused with a reason. */
public sealed interface Preprocessed {

  /** The image as a CHW float tensor, laid out as the model's {@link Preprocessing} says. */
  record Ready(float[] tensor, int sourceWidth, int sourceHeight) implements Preprocessed {}

  /** The image could not be used; {@code kind} is stable for metrics and dead letters. */
  record Refused(Kind kind, String reason) implements Preprocessed {}

  /** Why an image was refused. */
  enum Kind {
    EMPTY_IMAGE,
    TOO_MANY_BYTES,
    TOO_MANY_PIXELS,
    UNSUPPORTED_FORMAT,
    UNDECODABLE_IMAGE
  }
}
