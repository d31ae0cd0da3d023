/**
 * Training and evaluation data (owned by the trainer): folders of photos in the Kaggle layout
 * ({@code cat.N.jpg}) or in class sub-folders, and Fashion-MNIST's IDX files. Every image becomes a
 * tensor through the service's {@link catdog.streaming.inference.ImagePreprocessor}, so that what is
 * trained is what is served. Decoded data is cached in memory, so later epochs never decode again.
 */
package catdog.trainer.data;
