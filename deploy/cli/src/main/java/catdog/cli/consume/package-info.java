/**
 * {@code catdog consume}: a console consumer that prints predictions, dead letters and image events as one
 * JSON object per line. {@link catdog.cli.consume.RecordFormatter} picks the message type by topic name.
 */
package catdog.cli.consume;
