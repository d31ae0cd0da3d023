package catdog.trainer.model;

/**
 * The hyper-parameters a model trains with unless the command line says otherwise.
 *
 * @param epochs passes over the training data
 * @param batchSize images per step
 * @param learningRate Adam's initial learning rate
 * @param weightDecay decoupled weight decay on weights, AdamW style: each step scales them by 1 − lr·decay (0 for none)
 * @param augment whether training images are augmented (random resized crop, flip, colour jitter)
 */
public record TrainingDefaults(int epochs, int batchSize, float learningRate, float weightDecay, boolean augment) {
  public TrainingDefaults {
    if (epochs < 1 || batchSize < 1 || !(learningRate > 0) || weightDecay < 0) {
      throw new IllegalArgumentException("bad training defaults: " + epochs + " epochs, batch " + batchSize
          + ", lr " + learningRate + ", weight decay " + weightDecay);
    }
  }
}
