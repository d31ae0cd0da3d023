/**
 * Model management (owned by the admin work). {@link catdog.streaming.admin.ModelRegistry} is the actor that
 * alone opens and closes ONNX sessions: it loads, checks, warms up, gates and swaps models, keeps the
 * previous one for rollback, runs canary and shadow trials, rolls back a model that fails its probation, and
 * retires old sessions only when their last batch has released them. {@link
 * catdog.streaming.admin.ServingSlot} is the {@link catdog.streaming.inference.ModelLeases} the pipeline
 * reads models from, without messaging the actor. {@link catdog.streaming.admin.AdminRoutes} is the admin
 * HTTP API; {@link catdog.streaming.admin.ModelsTopicFollower} and {@link
 * catdog.streaming.admin.ModelPublisher} carry models across a fleet on the compacted models topic.
 *
 * <h2>Wiring (the service's Guardian)</h2>
 * <pre>{@code
 * AdminSettings admin = AdminSettings.fromConfig(config.getConfig("catdog.admin"));
 * ServingSlot slot = new ServingSlot();                       // the pipeline's ModelLeases
 * registry = ctx.spawn(ModelRegistry.create(admin, InferenceSettings.fromConfig(config.getConfig("catdog.inference")),
 *     slot, metrics.registry()), "models");
 * routes = ServiceRoutes.with(serviceRoutes, List.of(AdminRoutes.create(registry, ctx.getSystem(), admin)));
 * // after the configured model is loaded, if admin.followModelsTopic():
 * follower = ModelsTopicFollower.start(kafkaClientProperties, config.getString("catdog.topics.models"), registry, system);
 * // and close() it when the service stops.
 * }</pre>
 *
 * <h2>What the pipeline calls</h2>
 * <ul>
 *   <li>Plain serving: one {@code leases.acquire()} per batch, {@code lease.run(tensors, n)}, {@code lease.close()}
 *       after the run; every prediction carries {@code lease.info().name()/version()}. Batch latency and
 *       failures are recorded by {@code run} itself for probation; nothing else to report.
 *   <li>Canary: {@code leases.route(keys)} per batch instead of {@code acquire()}; run each part's positions
 *       with its lease; predictions scored by a lease with {@code canary() == true} carry {@code canary = true}
 *       and that lease's version. Close every part's lease.
 *   <li>Or both at once: {@code RoutedScoring.score(leases, keys, tensors, tensorSize)} (in
 *       {@code catdog.streaming.inference}) routes, runs, runs the shadow copy, records agreement and closes
 *       every lease; it returns one {@code Row} per record (model, canary flag, probabilities or failure) and
 *       the shadow's scores.
 *   <li>Shadow: after the primary run, {@code leases.acquireShadow()}; when present, run the same tensors
 *       with it, write its predictions only to {@code <predictions>.shadow}, call
 *       {@code shadow.recordAgreement(top class equal)} once per record, and close it. A failed shadow run
 *       must not fail the batch.
 * </ul>
 */
package catdog.streaming.admin;
