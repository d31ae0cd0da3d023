/**
 * The {@code catdog} launcher: {@link catdog.cli.Catdog} is the picocli root command that deploy/bin/catdog
 * runs, and lists every subcommand. Each subcommand lives in its own package (broker, serve, produce,
 * consume, demo, ...); the trainer contributes its commands from catdog.trainer.cli. Owned by deploy/cli.
 */
package catdog.cli;
