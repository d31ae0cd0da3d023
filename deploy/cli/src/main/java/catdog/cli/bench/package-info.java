/**
 * {@code catdog bench}: every stage of the path measured on this machine in one run. Decode and inference
 * use the service's own ImagePreprocessor, image limits and ONNX Runtime session settings (read from the
 * same configuration), so that the CPU bound they give is the one the service runs against. The end-to-end
 * figure goes through a real broker and the real service, the pipeline figure through the same stream fed
 * from memory, so the two ratios split what the stream costs from what Kafka costs; the naive figure is the
 * plain poll loop a user might write instead. Every figure is a median of repeated measurements.
 */
package catdog.cli.bench;
