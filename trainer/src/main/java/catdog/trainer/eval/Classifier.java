package catdog.trainer.eval;

import catdog.streaming.inference.BatchResult;
import catdog.streaming.inference.InferenceSettings;
import catdog.streaming.inference.OnnxModel;
import catdog.streaming.inference.Preprocessing;
import catdog.trainer.train.Network;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A trained model that turns a batch of preprocessed images into class probabilities. */
public interface Classifier extends AutoCloseable {
  String name();

  List<String> labels();

  Preprocessing preprocessing();

  /** Softmax probabilities, {@code [n][labels]}, for the first {@code n} CHW tensors of {@code batch}. */
  float[][] probabilities(float[] batch, int n);

  @Override
  void close();

  /**
   * Opens {@code model}: an {@code .onnx} file through ONNX Runtime as the service runs it, otherwise a
   * training output directory or checkpoint file through DJL.
   */
  static Classifier open(Path model) throws IOException {
    if (model.getFileName().toString().endsWith(".onnx")) {
      return onnx(Files.readAllBytes(model), model.toString());
    }
    return new Djl(Network.load(model));
  }

  /** An ONNX model held in memory, loaded as the service loads it; {@code what} names it in the error. */
  public static Classifier onnx(byte[] model, String what) throws IOException {
    OnnxModel.LoadResult loaded = OnnxModel.load(model, InferenceSettings.defaults().withBatchCapacity(64));
    if (loaded instanceof OnnxModel.LoadResult.Refused refused) {
      throw new IOException(what + " refused: " + refused.reason());
    }
    return new Onnx(((OnnxModel.LoadResult.Loaded) loaded).model());
  }

  /** An exported model, scored exactly as the service scores it. */
  record Onnx(OnnxModel model) implements Classifier {
    @Override
    public String name() {
      return model.info().id() + " (ONNX Runtime)";
    }

    @Override
    public List<String> labels() {
      return model.info().labels();
    }

    @Override
    public Preprocessing preprocessing() {
      return model.info().preprocessing();
    }

    @Override
    public float[][] probabilities(float[] batch, int n) {
      BatchResult r = model.run(batch, n);
      if (r instanceof BatchResult.Failed failed) {
        throw new IllegalStateException(failed.reason());
      }
      return ((BatchResult.Scored) r).probabilities();
    }

    @Override
    public void close() {
      model.close();
    }
  }

  /** A DJL checkpoint on the PyTorch engine. */
  record Djl(Network network) implements Classifier {
    @Override
    public String name() {
      return network.spec().name() + " (DJL checkpoint)";
    }

    @Override
    public List<String> labels() {
      return network.spec().labels();
    }

    @Override
    public Preprocessing preprocessing() {
      return network.spec().preprocessing();
    }

    @Override
    public float[][] probabilities(float[] batch, int n) {
      return network.probabilities(batch, n);
    }

    @Override
    public void close() {
      network.close();
    }
  }
}
