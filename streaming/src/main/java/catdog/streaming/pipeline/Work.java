package catdog.streaming.pipeline;

import catdog.streaming.inference.Preprocessing;

/** A record between decode and scoring: a tensor ready for a batch, or refused with a reason. */
sealed interface Work<P> {
  Incoming<P> in();

  /**
   * A decoded image. {@code preprocessing} says how {@code tensor} was made, so that a batch scored by a
   * model swapped in meanwhile with other needs is preprocessed again rather than fed the wrong shape.
   */
  record Ready<P>(Incoming<P> in, ImageInput input, float[] tensor, Preprocessing preprocessing, long readyAtNanos)
      implements Work<P> {}

  /** A record that will become a dead letter. {@code kind} is machine-readable, {@code reason} for humans. */
  record Refused<P>(Incoming<P> in, String kind, String reason) implements Work<P> {}
}
