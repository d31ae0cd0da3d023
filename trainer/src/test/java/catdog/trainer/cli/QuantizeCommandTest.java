package catdog.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import catdog.streaming.inference.InferenceSettings;
import catdog.streaming.inference.OnnxModel;
import catdog.trainer.export.Quantizer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The shipped seed model, quantised on the test photos: written when its accuracy holds, refused when not. */
class QuantizeCommandTest {
  private static final Path SEED = Path.of("../deploy/models/catdog-seed.onnx");

  @TempDir Path dir;

  @Test
  void shouldWriteAnInt8ModelThatTheServiceLoads() throws Exception {
    Path out = dir.resolve("seed-int8.onnx");
    Run run = run("--model", SEED.toString(), "--calibration", photos(), "--val", photos(), "--out", out.toString(),
        "--max-accuracy-drop", "0.07");
    assertThat(run.code()).as(run.output()).isZero();
    assertThat(run.output()).containsPattern("calibrated 6 points on 16 images; val accuracy float 0\\.\\d{4}, int8 0\\.\\d{4}")
        .containsPattern("wrote catdog-seed@[0-9a-f]{12} \\(quantised from catdog-seed@[0-9a-f]{12}\\)");
    OnnxModel.LoadResult loaded = OnnxModel.load(out, InferenceSettings.defaults());
    assertThat(loaded).isInstanceOf(OnnxModel.LoadResult.Loaded.class);
    try (OnnxModel model = ((OnnxModel.LoadResult.Loaded) loaded).model()) {
      assertThat(model.info().extra()).containsKeys(Quantizer.QUANTIZED_FROM, Quantizer.VAL_ACCURACY, Quantizer.VAL_ACCURACY_FLOAT);
      assertThat(run.output()).contains("int8 " + model.info().extra().get(Quantizer.VAL_ACCURACY));
    }
  }

  @Test
  void shouldRefuseAModelThatLosesAccuracyAndWriteNothing() throws Exception {
    Path out = dir.resolve("seed-int2.onnx");
    Run run = run("--model", SEED.toString(), "--calibration", photos(), "--val", photos(), "--out", out.toString(),
        "--weight-bits", "2", "--max-accuracy-drop", "0");
    assertThat(run.code()).as(run.output()).isEqualTo(1);
    assertThat(run.output()).contains("refused: the int8 model loses more than 0.0000 of accuracy; nothing written");
    assertThat(out).doesNotExist();
    try (var files = Files.list(dir)) {
      assertThat(files).as("no candidate left behind").isEmpty();
    }
  }

  private static String photos() throws Exception {
    return Path.of(QuantizeCommandTest.class.getResource("/catsdogs").toURI()).toString();
  }

  private record Run(int code, String output) {}

  private static Run run(String... args) {
    StringWriter text = new StringWriter();
    PrintWriter w = new PrintWriter(text);
    int code = new CommandLine(new QuantizeCommand()).setOut(w).setErr(w).execute(args);
    w.flush();
    return new Run(code, text.toString());
  }
}
