/** {@code catdog broker}: the embedded single-node KRaft broker in the foreground, for people who want to play. */
package catdog.cli.broker;
