package catdog.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import catdog.trainer.model.ModelSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TrainCommandTest {

  @Test
  void shouldWarnWhenAPrunedModelIsTrainedWithoutTheWeightsItIsPrunedFrom() {
    assertThat(TrainCommand.fromScratchWarning(ModelSpec.require("catdog-mini"), Optional.empty())).hasValueSatisfying(w ->
        assertThat(w).contains("catdog-mini is meant to start from catdog-thin's trained weights")
            .contains("--init-from deploy/models/catdog-thin.onnx").contains("24 epochs"));
    assertThat(TrainCommand.fromScratchWarning(ModelSpec.require("catdog-thin"), Optional.empty())).hasValueSatisfying(w ->
        assertThat(w).contains("--init-from deploy/models/catdog.onnx"));
  }

  @Test
  void shouldNotWarnWhenTheWeightsAreGivenOrTheModelTrainsFromScratchAnyway() {
    assertThat(TrainCommand.fromScratchWarning(ModelSpec.require("catdog-mini"), Optional.of(Path.of("catdog-thin.onnx")))).isEmpty();
    assertThat(TrainCommand.fromScratchWarning(ModelSpec.require("catdog"), Optional.empty())).isEmpty();
    assertThat(TrainCommand.fromScratchWarning(ModelSpec.require("lenet"), Optional.empty())).isEmpty();
  }

  @Test
  void shouldListEveryModelInItsHelp() {
    StringWriter help = new StringWriter();
    new CommandLine(new TrainCommand()).setOut(new PrintWriter(help)).execute("--help");
    String flat = help.toString().replaceAll("\\s+", " ");
    assertThat(flat).contains("--model=<model> one of: " + String.join(", ", ModelSpec.names()))
        .contains("catdog-thin, catdog-mini, catdog-thin-s2, catdog-mini-s2, catdog-mini-s4, catdog-96");
  }
}
