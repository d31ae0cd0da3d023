/**
 * Training (owned by the trainer): the loop over in-memory batches on DJL's PyTorch engine, Adam with
 * decoupled weight decay and a learning-rate schedule, checkpoints saved and loaded by parameter name
 * (written atomically, so a {@code kill -9} loses at most the running epoch), {@code metrics.csv} and
 * {@code curves.png}. The loss takes logits; softmax belongs to the exported inference graph. With a
 * {@link catdog.trainer.train.Distillation}, an exported teacher run by ONNX Runtime adds its softened
 * probabilities to the loss. {@code Transplant} starts a run from an exported model's weights, keeping the
 * strongest channels of each layer the new network has narrower (structured pruning).
 */
package catdog.trainer.train;
