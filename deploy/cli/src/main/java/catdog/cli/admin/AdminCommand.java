package catdog.cli.admin;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code catdog admin}: the group; each subcommand is one operator action. */
@Command(name = "admin", mixinStandardHelpOptions = true,
    description = {"Manage the models of running services: through one instance's admin HTTP API",
        "(status, swap, rollback, canary, shadow, promote, abort), or fleet-wide through the models topic (publish)."},
    subcommands = {AdminCalls.Status.class, AdminCalls.Swap.class, AdminCalls.Rollback.class, AdminCalls.Canary.class,
        AdminCalls.Shadow.class, AdminCalls.Promote.class, AdminCalls.Abort.class, PublishCommand.class})
public final class AdminCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
