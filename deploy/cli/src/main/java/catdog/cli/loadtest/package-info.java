/**
 * {@code catdog loadtest}: open-loop load at constant rates, latency from each event's scheduled send time
 * (so a stalled producer or a queue in the service shows up instead of hiding), throughput offered against
 * achieved, accuracy, dead letters and unanswered events; a sweep over fractions of a measured capacity;
 * a JSON report and XChart plots. Runs against an embedded broker and in-process service by default.
 */
package catdog.cli.loadtest;
