/**
 * The models the trainer offers, each a {@link catdog.trainer.model.ModelSpec} found by name. Trained from
 * scratch: {@code catdog-seed} (the homework's network), {@code catdog} (batch norm, more channels) and its
 * cheaper experiments ({@code catdog-96}, {@code catdog-mid}, {@code catdog-lite}); pruned from a trained
 * model and fine-tuned ({@code train --init-from}): {@code catdog-slim}, {@code catdog-thin},
 * {@code catdog-mini}, {@code catdog-thin-s2} / {@code catdog-mini-s2}, whose first conv runs at stride 2, and
 * {@code catdog-mini-s4}, whose first two do;
 * for Fashion-MNIST, {@code lenet-classic} (the seed's LeNet-5) and {@code lenet} (ReLU and max pooling). A
 * spec says what a model is (labels, preprocessing, architecture, default hyper-parameters);
 * {@link catdog.trainer.model.ModelCost} says what it costs (parameters, MFLOPs per image, shapes).
 *
 * <p>Owned by the export work (branch {@code export}). Architectures produce logits and use only the
 * blocks the ONNX exporter understands (see {@code catdog.trainer.nn}); softmax belongs to the inference
 * graph, which the exporter builds.
 */
package catdog.trainer.model;
