package catdog.cli;

import catdog.cli.admin.AdminCommand;
import catdog.cli.bench.BenchCommand;
import catdog.cli.broker.BrokerCommand;
import catdog.cli.consume.ConsumeCommand;
import catdog.cli.demo.DemoCommand;
import catdog.cli.loadtest.LoadtestCommand;
import catdog.cli.produce.ProduceCommand;
import catdog.cli.serve.ServeCommand;
import catdog.trainer.cli.CompareCommand;
import catdog.trainer.cli.EvaluateCommand;
import catdog.trainer.cli.ExportCommand;
import catdog.trainer.cli.InspectCommand;
import catdog.trainer.cli.QuantizeCommand;
import catdog.trainer.cli.PredictCommand;
import catdog.trainer.cli.SummaryCommand;
import catdog.trainer.cli.TrainCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The root of the {@code catdog} command line. */
@Command(name = "catdog", mixinStandardHelpOptions = true, version = "catdog 0.1.0",
    description = "Kafka-native cat/dog image classification: run the broker, the service, producers and tools.",
    subcommands = {DemoCommand.class, BrokerCommand.class, ServeCommand.class, ProduceCommand.class, ConsumeCommand.class,
        AdminCommand.class, LoadtestCommand.class, BenchCommand.class,
        TrainCommand.class, EvaluateCommand.class, CompareCommand.class, PredictCommand.class, SummaryCommand.class,
        ExportCommand.class, InspectCommand.class, QuantizeCommand.class})
public final class Catdog implements Runnable {
  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, for main and for tests that run commands in-process. */
  public static CommandLine commandLine() {
    return new CommandLine(new Catdog()).setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(Catdog::report);
  }

  // A user error (no such folder, no model) deserves one clear line, not a stack trace; CATDOG_DEBUG shows it.
  private static int report(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
    PrintWriter err = command.getErr();
    StringBuilder message = new StringBuilder("catdog " + command.getCommandName() + ": " + e.getMessage());
    for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
      message.append("\n  caused by: ").append(cause);
    }
    err.println(message);
    if (System.getenv("CATDOG_DEBUG") != null) {
      e.printStackTrace(err);
    }
    err.flush();
    return 1;
  }

  @Override
  public void run() {
    // `catdog` alone explains itself rather than doing nothing.
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
