package catdog.streaming.pipeline;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One consumed record and what the sink needs to account for it: a committable offset in at-least-once
 * mode, a partition offset in exactly-once mode. The pipeline carries {@code offset} through untouched.
 */
public record Incoming<P>(ConsumerRecord<byte[], byte[]> record, P offset) {}
