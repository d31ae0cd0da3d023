package catdog.cli.admin;

import catdog.streaming.admin.AdminClient;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The admin subcommands that are one HTTP call each. Every one prints the service's JSON answer and exits
 * 0 when the service accepted the request, 1 otherwise (with the HTTP status on stderr).
 */
final class AdminCalls {
  private AdminCalls() {}

  /** One HTTP call against the admin API. */
  @FunctionalInterface
  interface Call {
    AdminClient.Response send(AdminClient client) throws Exception;
  }

  abstract static class ApiCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ApiOptions api;

    abstract Call request();

    @Override
    public Integer call() throws Exception {
      AdminClient.Response response = request().send(api.client());
      PrintWriter out = spec.commandLine().getOut();
      out.println(response.body());
      out.flush();
      if (!response.ok()) {
        spec.commandLine().getErr().printf("admin %s: refused with HTTP %d%n", spec.name(), response.status());
        return 1;
      }
      return 0;
    }
  }

  static Path existing(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no model file " + file);
    }
    return file;
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Show the serving, previous and candidate models, with versions, metadata and trial state.")
  static final class Status extends ApiCommand {
    @Override
    Call request() {
      return AdminClient::status;
    }
  }

  @Command(name = "swap", mixinStandardHelpOptions = true,
      description = {"Load, validate, warm up and switch to a model, between batches.",
          "The current model keeps serving if the new one is refused."})
  static final class Swap extends ApiCommand {
    @ArgGroup(multiplicity = "1")
    Source source;

    static final class Source {
      @Parameters(paramLabel = "MODEL.onnx", description = "A local ONNX file, uploaded to the service.")
      Path file;

      @Option(names = "--server-path", paramLabel = "PATH", description = "A path the service itself reads instead of an upload.")
      String serverPath;
    }

    @Override
    Call request() {
      return source.file != null ? c -> c.swap(existing(source.file)) : c -> c.swapToServerFile(source.serverPath);
    }
  }

  @Command(name = "rollback", mixinStandardHelpOptions = true, description = "Go back to the previous model.")
  static final class Rollback extends ApiCommand {
    @Override
    Call request() {
      return AdminClient::rollback;
    }
  }

  @Command(name = "canary", mixinStandardHelpOptions = true,
      description = "Score PERCENT% of records (chosen by key hash) with a candidate; its predictions say canary=true.")
  static final class Canary extends ApiCommand {
    @Parameters(paramLabel = "MODEL.onnx")
    Path file;

    @Option(names = "--percent", required = true, paramLabel = "PERCENT", description = "Share of records for the candidate, 0-100.")
    double percent;

    @Override
    Call request() {
      return c -> c.canary(existing(file), percent);
    }
  }

  @Command(name = "shadow", mixinStandardHelpOptions = true,
      description = "Score a copy of all traffic with a candidate; its predictions go to the shadow topic only.")
  static final class Shadow extends ApiCommand {
    @Parameters(paramLabel = "MODEL.onnx")
    Path file;

    @Override
    Call request() {
      return c -> c.shadow(existing(file));
    }
  }

  @Command(name = "promote", mixinStandardHelpOptions = true, description = "Make the canary or shadow candidate the serving model.")
  static final class Promote extends ApiCommand {
    @Override
    Call request() {
      return AdminClient::promote;
    }
  }

  @Command(name = "abort", mixinStandardHelpOptions = true, description = "End the canary or shadow trial; the serving model stays.")
  static final class Abort extends ApiCommand {
    @Override
    Call request() {
      return AdminClient::abort;
    }
  }
}
