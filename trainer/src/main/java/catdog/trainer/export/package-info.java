/**
 * ONNX export of trained DJL networks: {@link catdog.trainer.export.OnnxExporter} turns a block built from
 * {@code catdog.trainer.nn} layers and DJL's {@code Conv2d}/{@code Linear}/{@code Dropout} into an ONNX
 * model (IR 8, opset 13) with input {@code image}, outputs {@code probabilities} and {@code logits}, and
 * the {@link catdog.streaming.inference.ModelInfo} metadata the service configures itself from.
 * {@link catdog.trainer.export.ModelReport} reads one back for {@code catdog inspect}.
 * {@link catdog.trainer.export.Quantizer} rewrites an exported float graph into an int8 one (batch norm folded,
 * {@code QLinearConv} per convolution) from activation ranges that {@link catdog.trainer.export.Calibrator}
 * observes in ONNX Runtime; reading the float graph back and folding it is {@code Graph}'s, package-private.
 * {@link catdog.trainer.export.TrainedLayers} reads an exported float model's layers back for the trainer's
 * {@code --init-from}.
 *
 * <p>Owned by the export work (branch {@code export}). The op translation and graph assembly are
 * package-private; a block with no translation fails with {@link catdog.trainer.export.UnsupportedBlockException}.
 */
package catdog.trainer.export;
