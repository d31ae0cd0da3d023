/**
 * Training (owned by the trainer): the loop over in-memory batches on DJL's PyTorch engine, Adam with
 * decoupled weight decay and a learning-rate schedule, checkpoints saved and loaded by parameter name
 * (written atomically, so a {@code kill -9} loses at most the running epoch), {@code metrics.csv} and
 * {@code curves.png}. The loss takes logits; softmax belongs to the exported inference graph.
 */
package catdog.trainer.train;
