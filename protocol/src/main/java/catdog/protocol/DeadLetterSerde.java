package catdog.protocol;

import java.util.ArrayList;
import java.util.List;

/** Kafka serde for {@link DeadLetter}. A dead letter says where it came from and why it was refused. */
public final class DeadLetterSerde extends ProtobufSerde<DeadLetter> {
  public DeadLetterSerde() {
    super(DeadLetter.parser(), "DeadLetter");
  }

  @Override
  List<String> missingFields(DeadLetter letter) {
    List<String> missing = new ArrayList<>(3);
    if (letter.getSourceTopic().isEmpty()) {
      missing.add("source_topic");
    }
    if (letter.getErrorKind().isEmpty()) {
      missing.add("error_kind");
    }
    if (letter.getMessage().isEmpty()) {
      missing.add("message");
    }
    return missing;
  }
}
