package catdog.streaming.pipeline;

/** A record of a batch once its image has been decoded into the batch's input, or refused with a reason. */
sealed interface Work<P> {
  Incoming<P> in();

  /** A record whose image is in the batch's input, preprocessed for the model about to score it. */
  record Ready<P>(Incoming<P> in, ImageInput input) implements Work<P> {}

  /** A record that will become a dead letter. {@code kind} is machine-readable, {@code reason} for humans. */
  record Refused<P>(Incoming<P> in, String kind, String reason) implements Work<P> {}
}
