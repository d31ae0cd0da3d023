package catdog.protocol;

import java.util.ArrayList;
import java.util.List;

/** Kafka serde for {@link Prediction}. A prediction names its record and the model version that made it. */
public final class PredictionSerde extends ProtobufSerde<Prediction> {
  public PredictionSerde() {
    super(Prediction.parser(), "Prediction");
  }

  @Override
  List<String> missingFields(Prediction prediction) {
    List<String> missing = new ArrayList<>(3);
    if (prediction.getId().isEmpty()) {
      missing.add("id");
    }
    if (prediction.getModelVersion().isEmpty()) {
      missing.add("model_version");
    }
    if (prediction.getProbabilitiesCount() == 0) {
      missing.add("probabilities");
    }
    return missing;
  }
}
