package catdog.broker;

import java.nio.file.Path;
import java.util.Properties;
import java.util.stream.Collectors;

/** The server.properties of a one-node KRaft cluster, with every replication setting at 1. */
final class BrokerProperties {
  private BrokerProperties() {}

  static Properties of(BrokerSettings settings, int port, int controllerPort, Path dataDir) {
    boolean sasl = !settings.saslUsers().isEmpty();
    String clientProtocol = sasl ? "SASL_PLAINTEXT" : "PLAINTEXT";
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put("listeners", "CLIENT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "CLIENT://127.0.0.1:" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "CLIENT");
    p.put("listener.security.protocol.map", "CLIENT:" + clientProtocol + ",CONTROLLER:PLAINTEXT");
    p.put("log.dirs", dataDir.resolve("logs").toString());
    p.put("num.partitions", Integer.toString(settings.partitions()));
    p.put("default.replication.factor", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "5");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "5");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("min.insync.replicas", "1");
    // Saves three seconds per new consumer group; a single node has nobody else to wait for.
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "true");
    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
    p.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
    if (sasl) {
      p.put("sasl.enabled.mechanisms", "PLAIN");
      p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
      String users = settings.saslUsers().entrySet().stream()
          .map(e -> "user_" + e.getKey() + "=\"" + e.getValue() + "\"")
          .collect(Collectors.joining(" "));
      var admin = settings.saslUsers().entrySet().iterator().next();
      p.put("listener.name.client.plain.sasl.jaas.config",
          "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + admin.getKey()
              + "\" password=\"" + admin.getValue() + "\" " + users + ";");
    }
    return p;
  }
}
