/**
 * {@code catdog serve}: the streaming service in the foreground. {@link catdog.cli.serve.ServiceConfig} layers
 * command-line flags over a config file over the environment and reference.conf; the demo and the load test
 * build the in-process service's configuration with it too.
 */
package catdog.cli.serve;
