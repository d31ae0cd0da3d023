package catdog.broker;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * How to run the embedded broker.
 *
 * @param port the client port on 127.0.0.1; 0 picks a free one
 * @param dataDir where the log lives; empty means a temporary dir deleted on close
 * @param partitions the default partition count of topics created through {@link EmbeddedKafka}
 * @param saslUsers when not empty, the client listener requires SASL/PLAIN with these user → password pairs
 */
public record BrokerSettings(int port, Optional<Path> dataDir, int partitions, Map<String, String> saslUsers) {
  public BrokerSettings {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
    }
    saslUsers = Map.copyOf(saslUsers);
  }

  /** A free port, a temporary data dir, the given partitions, and no authentication. */
  public static BrokerSettings ephemeral(int partitions) {
    return new BrokerSettings(0, Optional.empty(), partitions, Map.of());
  }

  public BrokerSettings withSaslUsers(Map<String, String> users) {
    return new BrokerSettings(port, dataDir, partitions, users);
  }
}
