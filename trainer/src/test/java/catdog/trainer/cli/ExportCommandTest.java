package catdog.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import catdog.streaming.inference.BatchResult;
import catdog.streaming.inference.InferenceSettings;
import catdog.streaming.inference.OnnxModel;
import catdog.trainer.model.ModelSpec;
import catdog.trainer.train.Checkpoint;
import catdog.trainer.train.Network;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ExportCommandTest {
  @TempDir Path dir;

  @Test
  void shouldExportACheckpointThatTheServiceScoresAsDjlDoes() throws Exception {
    ModelSpec spec = ModelSpec.require("lenet");
    Path run = Files.createDirectories(dir.resolve("run"));
    try (Network net = Network.create(spec, Network.Init.XAVIER)) {
      Map<String, String> header = new LinkedHashMap<>();
      header.put(Checkpoint.MODEL, "lenet");
      header.put(Checkpoint.EPOCH, "3");
      header.put("data", "/somewhere/fashion-mnist/train");
      header.put("val_fraction", "0.1");
      header.put("seed", "42");
      header.put("val_accuracy", "0.875");
      new Checkpoint(header, Checkpoint.parameters(net.block())).write(run.resolve("final.ckpt"));

      Path onnx = dir.resolve("lenet.onnx");
      Run export = run(new ExportCommand(), "--checkpoint", run.toString(), "--out", onnx.toString());
      assertThat(export.code()).as(export.output()).isZero();
      assertThat(export.output()).contains("exported lenet@", "61,706 parameters");

      float[] batch = new float[7 * 28 * 28];
      Random random = new Random(3);
      for (int i = 0; i < batch.length; i++) {
        batch[i] = random.nextFloat();
      }
      float[][] djl = net.probabilities(batch, 7);
      OnnxModel.LoadResult loaded = OnnxModel.load(onnx, InferenceSettings.defaults());
      assertThat(loaded).isInstanceOf(OnnxModel.LoadResult.Loaded.class);
      try (OnnxModel model = ((OnnxModel.LoadResult.Loaded) loaded).model()) {
        assertThat(model.info().extra()).containsEntry("catdog.train.val_accuracy", "0.8750").containsEntry("catdog.train.epochs", "3")
            .containsEntry("catdog.train.data", "fashion-mnist/train, val a held-out 0.1 (seed 42)");
        float[][] served = ((BatchResult.Scored) model.run(batch, 7)).probabilities();
        for (int i = 0; i < 7; i++) {
          for (int c = 0; c < 10; c++) {
            assertThat(Math.abs(served[i][c] - djl[i][c])).isLessThanOrEqualTo(1e-5f);
          }
        }
      }

      Run inspect = run(new InspectCommand(), onnx.toString());
      assertThat(inspect.code()).isZero();
      assertThat(inspect.output()).contains("catdog.name = lenet", "image float[N,1,28,28]", "probabilities float[N,10]",
          "Conv 2", "Gemm 3", "parameters: 61,706 learnable", "MFLOPs per image: 0.85");
    }
  }

  @Test
  void shouldFailClearlyOnAMissingCheckpointOrANonModelFile() throws Exception {
    Run export = run(new ExportCommand(), "--checkpoint", dir.resolve("nothing").toString(), "--out", dir.resolve("x.onnx").toString());
    assertThat(export.code()).isNotZero();
    assertThat(export.output()).contains("no such checkpoint");

    Path text = Files.writeString(dir.resolve("notes.onnx"), "hello, not a model");
    Run inspect = run(new InspectCommand(), text.toString());
    assertThat(inspect.code()).isNotZero();
    assertThat(inspect.output()).contains("is not an ONNX model");
  }

  private record Run(int code, String output) {}

  private static Run run(Object command, String... args) {
    StringWriter text = new StringWriter();
    PrintWriter w = new PrintWriter(text);
    int code = new CommandLine(command).setOut(w).setErr(w).execute(args);
    w.flush();
    return new Run(code, text.toString());
  }
}
