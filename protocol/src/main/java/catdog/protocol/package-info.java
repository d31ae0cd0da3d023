/**
 * The wire contract between producers, the service and consumers: the protobuf messages generated from
 * {@code catdog.proto} ({@link catdog.protocol.ImageEvent}, {@link catdog.protocol.Prediction},
 * {@link catdog.protocol.DeadLetter}, {@link catdog.protocol.ModelUpdate}), the ONNX schema subset in
 * {@code catdog.protocol.onnx}, and one Kafka serde per message.
 *
 * <p>Deserializers never return null: a payload that is not the expected message raises
 * {@link catdog.protocol.MalformedPayloadException} naming what was wrong, so the service can route the
 * record to the dead-letter topic with that reason. This package owns nothing else.
 */
package catdog.protocol;
