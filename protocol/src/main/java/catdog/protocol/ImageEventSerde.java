package catdog.protocol;

import java.util.ArrayList;
import java.util.List;

/** Kafka serde for {@link ImageEvent}. An event needs an id and a non-empty image. */
public final class ImageEventSerde extends ProtobufSerde<ImageEvent> {
  public ImageEventSerde() {
    super(ImageEvent.parser(), "ImageEvent");
  }

  @Override
  List<String> missingFields(ImageEvent event) {
    List<String> missing = new ArrayList<>(2);
    if (event.getId().isEmpty()) {
      missing.add("id");
    }
    if (event.getImage().isEmpty()) {
      missing.add("image");
    }
    return missing;
  }
}
