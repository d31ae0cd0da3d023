package catdog.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs a catdog command line in-process and keeps what it printed. */
public record Run(int exitCode, String out, String err) {
  public static Run of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Catdog.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  /** The non-empty lines of stdout. */
  public java.util.List<String> lines() {
    return out.lines().filter(l -> !l.isBlank()).toList();
  }
}
