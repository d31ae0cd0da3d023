/**
 * The trainer's picocli commands (owned by the trainer): {@code train}, {@code evaluate}, {@code compare},
 * {@code predict} and {@code summary}; {@code export}, {@code inspect} and {@code quantize} are the export work's
 * (ExportCommand, InspectCommand, QuantizeCommand). The {@code catdog} launcher (deploy/cli) lists them as subcommands;
 * {@link catdog.trainer.cli.TrainerCli} runs them on their own from the trainer's classpath.
 */
package catdog.trainer.cli;
