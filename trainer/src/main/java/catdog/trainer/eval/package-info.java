/**
 * Scoring trained models (owned by the trainer): a {@link catdog.trainer.eval.Classifier} is either a DJL
 * checkpoint or an exported {@code .onnx} file run through the service's own
 * {@link catdog.streaming.inference.OnnxModel}; both take tensors made by the service's
 * {@link catdog.streaming.inference.ImagePreprocessor}. Accuracy, per-class precision and recall, the
 * confusion matrix, the homework's {@code res.csv} predictions, and {@link catdog.trainer.eval.Comparison}: several
 * models on the same photos, pair by pair (McNemar's test).
 */
package catdog.trainer.eval;
