package catdog.streaming.admin;

import catdog.protocol.ModelUpdate;
import catdog.protocol.onnx.OnnxMl;
import catdog.streaming.inference.ModelInfo;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@link ModelUpdate} records for the models topic: built from an ONNX file by the publisher, turned back
 * into verified ONNX bytes by every instance. The record key is the model name; the topic is compacted, so
 * it keeps the latest update of each model.
 */
public final class ModelUpdates {
  private ModelUpdates() {}

  /** The outcome of reading an update: the verified ONNX bytes, or why they cannot be used. */
  public sealed interface Resolved {
    record Model(byte[] onnx, String origin) implements Resolved {}

    record Invalid(String reason) implements Resolved {}
  }

  /**
   * An update that carries the model itself. Name and version come from the model's catdog metadata, so a
   * file that the registry would refuse for missing metadata is refused here already.
   */
  public static ModelUpdate carrying(byte[] onnx, long publishedAtMs) {
    Map<String, String> metadata = metadata(onnx);
    return ModelUpdate.newBuilder().setName(metadata.get(ModelInfo.NAME)).setVersion(metadata.get(ModelInfo.VERSION))
        .setOnnx(ByteString.copyFrom(onnx)).setSha256(sha256(onnx)).setPublishedAtMs(publishedAtMs).build();
  }

  /** An update that names a file every instance can read (shared storage), for models too big for a record. */
  public static ModelUpdate pointingAt(Path file, long publishedAtMs) throws IOException {
    byte[] onnx = Files.readAllBytes(file);
    Map<String, String> metadata = metadata(onnx);
    return ModelUpdate.newBuilder().setName(metadata.get(ModelInfo.NAME)).setVersion(metadata.get(ModelInfo.VERSION))
        .setUri(file.toAbsolutePath().toUri().toString()).setSha256(sha256(onnx)).setPublishedAtMs(publishedAtMs).build();
  }

  /** Reads the model an update carries or names, and checks it against the update's sha256. */
  public static Resolved resolve(ModelUpdate update) {
    String id = update.getName() + "@" + update.getVersion();
    byte[] onnx;
    String origin;
    if (update.hasOnnx()) {
      onnx = update.getOnnx().toByteArray();
      origin = "models topic update " + id;
    } else {
      try {
        URI uri = URI.create(update.getUri());
        Path path = uri.getScheme() == null ? Path.of(update.getUri()) : Path.of(uri);
        onnx = Files.readAllBytes(path);
        origin = "models topic update " + id + " (" + path + ")";
      } catch (IOException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
        return new Resolved.Invalid("update " + id + " names " + update.getUri() + ", which cannot be read: " + e);
      }
    }
    String actual = sha256(onnx);
    if (!actual.equalsIgnoreCase(update.getSha256())) {
      return new Resolved.Invalid("update " + id + " has sha256 " + actual + " but announces " + update.getSha256() + "; refusing it");
    }
    return new Resolved.Model(onnx, origin);
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The model's metadata, read from the ONNX protobuf without opening a session. */
  private static Map<String, String> metadata(byte[] onnx) {
    try {
      Map<String, String> m = OnnxMl.ModelProto.parseFrom(onnx).getMetadataPropsList().stream()
          .collect(Collectors.toMap(OnnxMl.StringStringEntryProto::getKey, OnnxMl.StringStringEntryProto::getValue, (a, b) -> b));
      if (!m.containsKey(ModelInfo.NAME) || !m.containsKey(ModelInfo.VERSION)) {
        throw new IllegalArgumentException("the model has no " + ModelInfo.NAME + " / " + ModelInfo.VERSION + " metadata; export it with catdog export");
      }
      return m;
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not an ONNX model: " + e.getMessage(), e);
    }
  }
}
