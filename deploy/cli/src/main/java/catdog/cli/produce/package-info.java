/**
 * {@code catdog produce}: turns a folder of images into ImageEvents on a topic, at full speed or at a
 * constant rate. {@link catdog.cli.produce.ImageFiles} finds images and their known labels,
 * {@link catdog.cli.produce.ImagePublisher} paces and sends them; the demo and the load test reuse both.
 */
package catdog.cli.produce;
