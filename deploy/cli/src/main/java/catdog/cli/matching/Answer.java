package catdog.cli.matching;

import catdog.protocol.DeadLetter;
import catdog.protocol.Prediction;

/** One expected event's answer, as the matcher saw it arrive. */
public sealed interface Answer {
  /** When the answer was read, epoch ms. */
  long receivedAtMs();

  /** Receipt minus the event's produced_at_ms (its scheduled time in open-loop runs). */
  long latencyMs();

  record Predicted(Prediction prediction, long receivedAtMs, long latencyMs) implements Answer {
    /** Empty when the event carried no known label. */
    public java.util.Optional<Boolean> correct() {
      return prediction.hasKnownLabel()
          ? java.util.Optional.of(prediction.getKnownLabel() == prediction.getClassIndex())
          : java.util.Optional.empty();
    }
  }

  record DeadLettered(String id, DeadLetter letter, long receivedAtMs, long latencyMs) implements Answer {}
}
