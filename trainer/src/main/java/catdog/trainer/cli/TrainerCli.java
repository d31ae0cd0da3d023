package catdog.trainer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The trainer's commands without the launcher: {@code java -cp ... catdog.trainer.cli.TrainerCli train ...}. */
@Command(name = "catdog-trainer", mixinStandardHelpOptions = true,
    subcommands = {TrainCommand.class, EvaluateCommand.class, CompareCommand.class, PredictCommand.class, SummaryCommand.class, ExportCommand.class,
        InspectCommand.class, QuantizeCommand.class})
public final class TrainerCli {
  private TrainerCli() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new TrainerCli()).execute(args));
  }
}
