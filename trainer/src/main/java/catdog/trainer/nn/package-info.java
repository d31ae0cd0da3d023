/**
 * Small DJL blocks that say what they compute. DJL's own pooling, activation and flatten blocks are
 * lambdas with no readable kernel, stride or kind, so nothing could export or describe them; these can be
 * read back by the ONNX exporter and the layer summaries. DJL's {@code Conv2d}, {@code Linear} and
 * {@code Dropout} are readable and used as they are. {@link catdog.trainer.nn.BatchNorm2d} replaces DJL's
 * {@code BatchNorm}, whose epsilon is private.
 *
 * <p>Owned by the export work (branch {@code export}); the model definitions in
 * {@code catdog.trainer.model} are built from these.
 */
package catdog.trainer.nn;
