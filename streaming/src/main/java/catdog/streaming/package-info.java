/**
 * The service's entry points (owned by the streaming engineer): {@link catdog.streaming.CatdogService#start}
 * returns a running handle, {@link catdog.streaming.Main} runs it until SIGTERM, {@link catdog.streaming.Guardian}
 * wires the model registry, the pipeline and the HTTP server, and {@link catdog.streaming.Settings} reads the
 * {@code catdog} configuration. Capabilities live in sub-packages: pipeline, inference, admin, http.
 */
package catdog.streaming;
