/**
 * A real single-node Apache Kafka broker in KRaft mode, run in-process from the Kafka jars.
 *
 * <p>{@link catdog.broker.EmbeddedKafka} is what {@code catdog broker}, the demo, the load test and every
 * module's integration tests start; {@link catdog.broker.SharedBroker} gives all test classes of one JVM
 * the same broker. Kafka's in-process server classes are internals that change between versions, which
 * is why they are confined to this small module.
 */
package catdog.broker;
