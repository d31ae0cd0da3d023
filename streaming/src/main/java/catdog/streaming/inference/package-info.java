/**
 * Everything between encoded image bytes and class probabilities: the {@link
 * catdog.streaming.inference.Preprocessing} a model declares in its ONNX metadata, the {@link
 * catdog.streaming.inference.ImagePreprocessor} that decodes and normalises images (shared with the trainer,
 * so training and serving see the same pixels), and the ONNX Runtime boundary.
 *
 * <p>Sessions are opened and closed only by the admin actor in {@code catdog.streaming.admin}; this package
 * provides the types it uses and never closes a session on its own.
 */
package catdog.streaming.inference;
