package catdog.trainer.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import catdog.protocol.onnx.OnnxMl.ModelProto;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs an exported model on ONNX Runtime directly, returning every output, so tests see raw layer outputs too. */
final class Ort {
  /** One output: its shape and its values in C order. */
  record Output(long[] shape, float[] values) {}

  private Ort() {}

  static Map<String, Output> run(ModelProto model, float[] input, long... shape) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(model.toByteArray(), options);
        OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
        OrtSession.Result result = session.run(Map.of("image", x))) {
      Map<String, Output> out = new LinkedHashMap<>();
      for (Map.Entry<String, OnnxValue> e : result) {
        OnnxTensor t = (OnnxTensor) e.getValue();
        FloatBuffer fb = t.getFloatBuffer();
        float[] values = new float[fb.remaining()];
        fb.get(values);
        out.put(e.getKey(), new Output(t.getInfo().getShape(), values));
      }
      return out;
    }
  }
}
