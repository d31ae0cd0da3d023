/**
 * Matching answers to the events a command published: {@link catdog.cli.matching.PredictionMatcher} reads the
 * predictions and dead-letter topics, pairs each record with an expected id, and measures end-to-end latency
 * (HdrHistogram) and accuracy against known labels. The demo and the load test are built on it.
 */
package catdog.cli.matching;
