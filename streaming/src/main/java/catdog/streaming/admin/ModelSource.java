package catdog.streaming.admin;

import java.nio.file.Path;

/** Where a model to load comes from. */
public sealed interface ModelSource {

  /** ONNX bytes already in memory; {@code origin} says where they came from, for logs and replies. */
  record Bytes(byte[] onnx, String origin) implements ModelSource {
    @Override
    public String toString() {
      return origin + " (" + onnx.length + " bytes)";
    }
  }

  /** An ONNX file on this machine. */
  record File(Path path) implements ModelSource {
    @Override
    public String toString() {
      return path.toString();
    }
  }
}
