package catdog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CatdogTest {
  @Test
  void shouldListEverySubcommandInHelp() {
    Run help = Run.of("--help");

    assertThat(help.exitCode()).isZero();
    for (String name : Catdog.commandLine().getSubcommands().keySet()) {
      assertThat(help.out()).contains(name);
    }
    assertThat(Catdog.commandLine().getSubcommands()).containsKeys("demo", "broker", "serve", "produce", "consume", "loadtest", "bench");
  }

  @Test
  void shouldGiveEverySubcommandItsOwnHelp() {
    for (CommandLine sub : Catdog.commandLine().getSubcommands().values()) {
      Run help = Run.of(sub.getCommandName(), "--help");
      assertThat(help.exitCode()).as(sub.getCommandName()).isZero();
      assertThat(help.out()).startsWith("Usage: catdog " + sub.getCommandName());
    }
  }

  @Test
  void shouldRefuseUnknownOptionsWithUsage() {
    Run run = Run.of("produce", "--images", "x", "--nope");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Unknown option: '--nope'").contains("Usage: catdog produce");
  }

  @Test
  void shouldExplainAMissingFolderInOneLine() {
    Run run = Run.of("produce", "--images", "/no/such/folder", "-b", "127.0.0.1:1");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("catdog produce: not a folder: /no/such/folder").doesNotContain("\tat ");
  }
}
