/**
 * The service's stream (owned by the streaming engineer): {@link catdog.streaming.pipeline.InferencePipeline}
 * builds it from the settings without running it. Records are batched across partitions; each batch is
 * parsed in its topics' input formats, decoded into one input and scored with a model leased from the admin
 * actor's registry, and turned into exactly one prediction or dead letter each; offsets are committed only after
 * that output is acknowledged (or in its transaction). Decoding and scoring share one
 * {@link catdog.streaming.pipeline.ComputePool}, which the service owns. The stages are package-private.
 */
package catdog.streaming.pipeline;
