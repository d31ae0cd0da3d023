package catdog.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import catdog.streaming.inference.ImageLimits;
import catdog.streaming.inference.ImagePreprocessor;
import catdog.streaming.inference.Preprocessing;
import catdog.trainer.cli.EvaluateCommand;
import catdog.trainer.data.Datasets;
import catdog.trainer.data.ImageSet;
import catdog.trainer.eval.Classifier;
import catdog.trainer.eval.Evaluation;
import catdog.trainer.eval.Predictions;
import catdog.trainer.model.ModelSpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A smoke run of the homework's network on 16 real photos: two batches of 8 per epoch. One test, so the
 * engine's start and the decoding are paid once.
 */
class TrainingRunTest {
  @TempDir
  Path tmp;

  private static Path photos() throws Exception {
    return Path.of(TrainingRunTest.class.getResource("/catsdogs").toURI());
  }

  private TrainConfig config(Path out, int epochs) throws Exception {
    return new TrainConfig(ModelSpec.require("catdog-seed"), photos(), Optional.of(photos()), 0.1, epochs, 8, 3e-3f, 0f, false,
        TrainConfig.Schedule.CONSTANT, 11, Network.Init.XAVIER, out, Optional.empty(), Optional.empty());
  }

  private static TrainingRun.Result run(TrainConfig cfg, boolean resume) throws Exception {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    return new TrainingRun(cfg, quiet, false).run(resume);
  }

  @Test
  void shouldLowerTheLossCheckpointEachEpochResumeAndPredict() throws Exception {
    Path out = tmp.resolve("run");
    List<EpochMetrics> full;
    try (Network net = run(config(out, 3), false).network()) {
      full = EpochMetrics.read(out.resolve("metrics.csv"));
    }
    assertThat(full).hasSize(3);
    assertThat(full.get(2).trainLoss()).isLessThan(full.get(0).trainLoss());
    assertThat(full.get(2).valLoss()).isLessThan(full.get(0).valLoss());
    assertThat(out.resolve("checkpoints/epoch-003.ckpt")).exists();
    assertThat(out.resolve("checkpoints/epoch-001.ckpt")).doesNotExist(); // pruned: the last two are kept
    assertThat(out.resolve("final.ckpt")).exists();
    assertThat(out.resolve("curves.png")).isNotEmptyFile();
    assertThat(out.resolve("model.onnx")).isNotEmptyFile();

    // As after a kill -9 during epoch 3: its checkpoint never landed, its metrics row did.
    Files.delete(out.resolve("checkpoints/epoch-003.ckpt"));
    Files.delete(out.resolve("final.ckpt"));
    assertThat(TrainingRun.resumable(out)).get().extracting(TrainConfig::epochs).isEqualTo(3);
    try (Network net = run(config(out, 3), true).network()) {
      List<EpochMetrics> resumed = EpochMetrics.read(out.resolve("metrics.csv"));
      assertThat(resumed).hasSize(3);
      assertThat(resumed.subList(0, 2)).isEqualTo(full.subList(0, 2));
      // Same seeded batches and the optimizer's moments restored: epoch 3 is the epoch 3 of the unbroken run.
      assertThat(resumed.get(2).trainLoss()).isCloseTo(full.get(2).trainLoss(), within(1e-4));
      assertThat(resumed.get(2).valAccuracy()).isEqualTo(full.get(2).valAccuracy());
    }

    Path images = Files.createDirectories(tmp.resolve("test"));
    Files.copy(photos().resolve("cat.57.jpg"), images.resolve("10.jpg"));
    Files.copy(photos().resolve("dog.316.jpg"), images.resolve("2.jpg"));
    Files.copy(photos().resolve("cat.947.jpg"), images.resolve("1.jpg"));
    Files.writeString(images.resolve("3.jpg"), "broken");
    Files.writeString(images.resolve("notes.txt"), "not numbered");
    // The exported model, run by the service's ONNX Runtime code, labels the photos as the checkpoint does.
    ImageSet photos = Datasets.load(photos(), new ImagePreprocessor(Preprocessing.unitRgb(128, 128), ImageLimits.defaults()));
    try (Classifier onnx = Classifier.open(out.resolve("model.onnx")); Classifier djl = Classifier.open(out)) {
      Evaluation fromOnnx = Evaluation.of(onnx, photos, "photos");
      assertThat(fromOnnx.confusion()).isDeepEqualTo(Evaluation.of(djl, photos, "photos").confusion());
      assertThat(fromOnnx.accuracy()).isCloseTo(full.get(2).valAccuracy(), within(1e-9));
    }
    // The evaluate command on the checkpoint directory, with its JSON report.
    Path json = tmp.resolve("eval.json");
    assertThat(new CommandLine(new EvaluateCommand()).execute("--model", out.toString(), "--data", photos().toString(),
        "--json", json.toString())).isZero();
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    assertThat(report.get("images").asInt()).isEqualTo(16);
    assertThat(report.get("accuracy").asDouble()).isCloseTo(full.get(2).valAccuracy(), within(1e-9));
    assertThat(report.get("confusion")).hasSize(2);

    Path csv = tmp.resolve("res.csv");
    try (Classifier classifier = Classifier.open(out)) {
      Predictions.Result result = Predictions.write(classifier, images, csv);
      assertThat(result.skipped()).hasSize(2);
    }
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines).hasSize(3);
    assertThat(lines).extracting(l -> l.split(",")[0]).containsExactly("1", "2", "10");
    assertThat(lines).allMatch(l -> l.matches("\\d+,[01]"));
  }
}
