/**
 * Everything between encoded image bytes and class probabilities: the {@link
 * catdog.streaming.inference.Preprocessing} a model declares in its ONNX metadata, the {@link
 * catdog.streaming.inference.ImagePreprocessor} that decodes and normalises images (shared with the trainer,
 * so training and serving see the same pixels), and the ONNX Runtime boundary, {@link
 * catdog.streaming.inference.OnnxModel}, the only class that catches {@code OrtException}.
 *
 * <p>The pipeline scores batches through {@link catdog.streaming.inference.ModelLeases} and {@link
 * catdog.streaming.inference.ModelLease}, implemented by the admin package; {@link
 * catdog.streaming.inference.RoutedScoring} does the canary split and the shadow copy in one call. Sessions are opened and closed
 * only by the admin actor in {@code catdog.streaming.admin}; the trainer may use {@code OnnxModel} directly
 * for evaluation, outside the service.
 */
package catdog.streaming.inference;
