package catdog.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SerdesTest {
  private static final String TOPIC = "t";

  private static ImageEvent event() {
    return ImageEvent.newBuilder()
        .setId("cat.1.jpg")
        .setImage(ByteString.copyFrom(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2}))
        .setContentType("image/jpeg")
        .setProducedAtMs(1_700_000_000_000L)
        .setKnownLabel(0)
        .putAttributes("camera", "porch")
        .build();
  }

  @Test
  void shouldRoundTripImageEvent() {
    ImageEventSerde serde = new ImageEventSerde();
    ImageEvent back = serde.deserialize(TOPIC, serde.serialize(TOPIC, event()));
    assertThat(back).isEqualTo(event());
    assertThat(back.hasKnownLabel()).isTrue();
  }

  @Test
  void shouldRoundTripPrediction() {
    Prediction p = Prediction.newBuilder()
        .setId("x").setLabel("dog").setClassIndex(1)
        .addProbabilities(ClassProbability.newBuilder().setLabel("cat").setProbability(0.25f))
        .addProbabilities(ClassProbability.newBuilder().setLabel("dog").setProbability(0.75f))
        .setModelName("catdog").setModelVersion("catdog@abc").setSourceTopic("images")
        .setSourcePartition(2).setSourceOffset(42).setProducedAtMs(1).setPredictedAtMs(2).setBatchSize(8)
        .build();
    PredictionSerde serde = new PredictionSerde();
    assertThat(serde.deserialize(TOPIC, serde.serialize(TOPIC, p))).isEqualTo(p);
  }

  @Test
  void shouldRoundTripDeadLetter() {
    DeadLetter d = DeadLetter.newBuilder()
        .setSourceTopic("images").setSourcePartition(0).setSourceOffset(7)
        .setKey(ByteString.copyFromUtf8("k")).setErrorKind("UNDECODABLE_IMAGE").setMessage("truncated JPEG")
        .setServiceInstance("host-1").setFailedAtMs(3).setValue(ByteString.copyFromUtf8("v"))
        .build();
    DeadLetterSerde serde = new DeadLetterSerde();
    assertThat(serde.deserialize(TOPIC, serde.serialize(TOPIC, d))).isEqualTo(d);
  }

  @Test
  void shouldRoundTripModelUpdateWithBytesAndWithUri() {
    ModelUpdateSerde serde = new ModelUpdateSerde();
    ModelUpdate bytes = ModelUpdate.newBuilder().setName("catdog").setVersion("v1")
        .setOnnx(ByteString.copyFrom(new byte[] {8, 8})).setSha256("ab").build();
    ModelUpdate uri = ModelUpdate.newBuilder().setName("catdog").setVersion("v2")
        .setUri("file:/models/catdog.onnx").setSha256("cd").build();
    assertThat(serde.deserialize(TOPIC, serde.serialize(TOPIC, bytes))).isEqualTo(bytes);
    assertThat(serde.deserialize(TOPIC, serde.serialize(TOPIC, uri))).isEqualTo(uri);
  }

  @Test
  void shouldNameNullPayload() {
    MalformedPayloadException e = assertThrows(MalformedPayloadException.class, () -> new ImageEventSerde().deserialize(TOPIC, null));
    assertThat(e.kind()).isEqualTo(MalformedPayloadException.Kind.NULL_PAYLOAD);
    assertThat(e.getMessage()).startsWith("ImageEvent:");
  }

  @Test
  void shouldNameEmptyPayload() {
    MalformedPayloadException e = assertThrows(MalformedPayloadException.class, () -> new ImageEventSerde().deserialize(TOPIC, new byte[0]));
    assertThat(e.kind()).isEqualTo(MalformedPayloadException.Kind.EMPTY_PAYLOAD);
  }

  @Test
  void shouldNameBytesThatAreNotProtobuf() {
    // 0xFF 0xFF ... is an over-long varint tag: no protobuf parser accepts it.
    byte[] garbage = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
    MalformedPayloadException e = assertThrows(MalformedPayloadException.class, () -> new PredictionSerde().deserialize(TOPIC, garbage));
    assertThat(e.kind()).isEqualTo(MalformedPayloadException.Kind.NOT_PROTOBUF);
    assertThat(e.getCause()).isNotNull();
  }

  @Test
  void shouldRefuseAValueWithAStrayEndGroupTag() {
    byte[] event = ImageEvent.newBuilder().setId("a").setImage(ByteString.copyFromUtf8("jpeg")).build().toByteArray();
    // Field 1 with wire type 4 (end group), then bytes the parse would otherwise stop short of.
    byte[] value = java.util.Arrays.copyOf(event, event.length + 3);
    value[event.length] = 0x0C;
    value[event.length + 1] = 0x0A;
    value[event.length + 2] = 0x00;
    MalformedPayloadException e = assertThrows(MalformedPayloadException.class, () -> new ImageEventSerde().deserialize(TOPIC, value));
    assertThat(e.kind()).isEqualTo(MalformedPayloadException.Kind.NOT_PROTOBUF);
  }

  @Test
  void shouldShareTheRecordsImageBytesRatherThanCopyThem() {
    byte[] value = ImageEvent.newBuilder().setId("a").setImage(ByteString.copyFrom(new byte[] {1, 2, 3})).build().toByteArray();
    ImageEvent parsed = new ImageEventSerde().deserialize(TOPIC, value);
    int at = value.length - 3;
    assertThat(value[at]).isEqualTo((byte) 1);
    value[at] = 9;
    assertThat(parsed.getImage().byteAt(0)).isEqualTo((byte) 9);
  }

  @Test
  void shouldNameMissingFieldsWhenTextHappensToParse() {
    // Plain text can be valid protobuf wire format by accident; the required-field check catches it.
    byte[] text = "hi".getBytes(StandardCharsets.US_ASCII);
    MalformedPayloadException e = assertThrows(MalformedPayloadException.class, () -> new ImageEventSerde().deserialize(TOPIC, text));
    assertThat(e.kind()).isIn(MalformedPayloadException.Kind.MISSING_FIELD, MalformedPayloadException.Kind.NOT_PROTOBUF);
    ImageEvent noImage = ImageEvent.newBuilder().setId("a").build();
    MalformedPayloadException e2 = assertThrows(MalformedPayloadException.class,
        () -> new ImageEventSerde().deserialize(TOPIC, noImage.toByteArray()));
    assertThat(e2.kind()).isEqualTo(MalformedPayloadException.Kind.MISSING_FIELD);
    assertThat(e2.getMessage()).contains("image").doesNotContain("id,");
  }

  @Test
  void shouldRefuseModelUpdateWithoutSource() {
    ModelUpdate noSource = ModelUpdate.newBuilder().setName("n").setVersion("v").setSha256("s").build();
    MalformedPayloadException e = assertThrows(MalformedPayloadException.class,
        () -> new ModelUpdateSerde().deserialize(TOPIC, noSource.toByteArray()));
    assertThat(e.getMessage()).contains("onnx|uri");
  }

  @Test
  void shouldPrintJsonOnOneLine() {
    String json = ProtobufJson.print(event());
    assertThat(json).contains("\"id\":\"cat.1.jpg\"").doesNotContain("\n");
  }
}
