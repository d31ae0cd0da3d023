/**
 * Model management, owned by the admin side of the service. {@link catdog.streaming.admin.ModelRegistry} is
 * the actor that alone opens and closes ONNX sessions: it loads, checks, warms up and swaps models, keeps the
 * previous one for rollback, and retires old sessions only when their last batch has released them.
 * {@link catdog.streaming.admin.ServingSlot} is the {@link catdog.streaming.inference.ModelLeases} the
 * pipeline reads the serving model from, once per batch, without messaging the actor.
 *
 * <p>Wiring, for the service: create one {@code ServingSlot}, spawn {@code ModelRegistry.create(settings,
 * slot)}, hand the slot to the pipeline as its {@code ModelLeases}, and send the registry a {@code LoadModel}
 * for the configured model at start.
 */
package catdog.streaming.admin;
