/**
 * Test helpers shipped in streaming's test-jar for every module's tests: {@link
 * catdog.streaming.testing.TestModels} builds small seeded ONNX models, valid and deliberately broken, so no
 * test depends on the trainer's output.
 */
package catdog.streaming.testing;
