package catdog.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Two shipped models on the test photos, pooled from two folders, one of them less the names in another. */
class CompareCommandTest {
  private static final String SEED = "../deploy/models/catdog-seed.onnx";
  private static final String MINI = "../deploy/models/catdog-mini-s2.onnx";

  @TempDir Path dir;

  @Test
  void shouldReportEachModelAndThePairOnThePooledPhotos() throws Exception {
    Path photos = photos();
    Path seen = Files.createDirectories(dir.resolve("seen"));
    Path more = Files.createDirectories(dir.resolve("more"));
    try (var files = Files.list(photos)) {
      for (Path f : files.sorted().toList()) {
        Files.copy(f, more.resolve(f.getFileName()));
      }
    }
    Files.copy(photos.resolve("cat.57.jpg"), seen.resolve("cat.57.jpg"));
    Files.copy(photos.resolve("dog.316.jpg"), seen.resolve("dog.316.jpg"));

    Run run = run("--model", SEED, "--model", MINI, "--data", photos.toString(), "--data", more.toString(),
        "--exclude-names-in", seen.toString(), "--exclude-names-in", photos.toString());

    assertThat(run.code()).as(run.output()).isZero();
    // photos/ is itself named, so only seen/ thins it (14 left); more/ loses all 16, which photos/ holds.
    assertThat(run.output()).as(run.output()).startsWith("14 images: ").contains("(14), ", "(0)\n");
    run = run("--model", SEED, "--model", MINI, "--data", photos.toString(), "--data", more.toString(),
        "--exclude-names-in", seen.toString());
    assertThat(run.code()).as(run.output()).isZero();
    assertThat(run.output()).as(run.output())
        .startsWith("28 images: " + photos + " less the names in [" + seen + "] (14), " + more + " less the names in [" + seen + "] (14)")
        .containsPattern("catdog-seed@[0-9a-f]{12} \\(ONNX Runtime\\): [01]\\.\\d{4} [01]\\.\\d{4}, [01]\\.\\d{4}")
        .containsPattern("catdog-mini-s2@[0-9a-f]{12} \\(ONNX Runtime\\): [01]\\.\\d{4} [01]\\.\\d{4}, [01]\\.\\d{4}")
        .containsPattern("all 2 averaged: [01]\\.\\d{4}")
        .containsPattern("catdog-seed@\\w+ \\(ONNX Runtime\\) vs catdog-mini-s2@\\w+ \\(ONNX Runtime\\): \\d+ vs \\d+, z = -?\\d+\\.\\d\\d");
  }

  @Test
  void shouldRefuseASingleModel() throws Exception {
    Run run = run("--model", SEED, "--data", photos().toString());

    assertThat(run.code()).isNotZero();
    assertThat(run.output()).contains("compare needs two or more --model, got 1");
  }

  @Test
  void shouldKeepADataFolderThatIsAlsoExcluded() {
    Path val = Path.of("data/val");
    List<Path> others = CompareCommand.othersThan(val, List.of(Path.of("data/train"), Path.of("data/./val"), Path.of("other")));

    assertThat(others).containsExactly(Path.of("data/train"), Path.of("other"));
  }

  private static Path photos() throws Exception {
    return Path.of(CompareCommandTest.class.getResource("/catsdogs").toURI());
  }

  private record Run(int code, String output) {}

  private static Run run(String... args) {
    StringWriter text = new StringWriter();
    PrintWriter w = new PrintWriter(text);
    int code = new CommandLine(new CompareCommand()).setOut(w).setErr(w).execute(args);
    w.flush();
    return new Run(code, text.toString());
  }
}
