/**
 * What every catdog subcommand shares: the Kafka client options mixin, where the repository's samples and
 * models are, duration parsing, log levels and the JIT meter benchmarks wait on. Owned by the launcher (deploy/cli).
 */
package catdog.cli.support;
