package catdog.protocol;

import java.util.ArrayList;
import java.util.List;

/** Kafka serde for {@link ModelUpdate}: a name, a version, the model bytes or a URI, and their sha256. */
public final class ModelUpdateSerde extends ProtobufSerde<ModelUpdate> {
  public ModelUpdateSerde() {
    super(ModelUpdate.parser(), "ModelUpdate");
  }

  @Override
  List<String> missingFields(ModelUpdate update) {
    List<String> missing = new ArrayList<>(4);
    if (update.getName().isEmpty()) {
      missing.add("name");
    }
    if (update.getVersion().isEmpty()) {
      missing.add("version");
    }
    if (update.getSourceCase() == ModelUpdate.SourceCase.SOURCE_NOT_SET
        || (update.hasOnnx() && update.getOnnx().isEmpty())
        || (update.hasUri() && update.getUri().isEmpty())) {
      missing.add("onnx|uri");
    }
    if (update.getSha256().isEmpty()) {
      missing.add("sha256");
    }
    return missing;
  }
}
