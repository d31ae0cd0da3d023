package catdog.trainer.export;

/** A block the exporter has no ONNX translation for; the message names it and where it sits. */
public final class UnsupportedBlockException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  UnsupportedBlockException(String message) {
    super(message);
  }
}
