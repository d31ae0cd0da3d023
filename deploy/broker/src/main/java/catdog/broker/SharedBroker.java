package catdog.broker;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One broker for all the test classes of a JVM, started on first use and stopped at JVM exit. Each test
 * takes fresh topic and group names from {@link #unique(String)} so tests never see each other's records.
 */
public final class SharedBroker {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static EmbeddedKafka broker;

  private SharedBroker() {}

  public static synchronized EmbeddedKafka get() {
    if (broker == null) {
      EmbeddedKafka started = EmbeddedKafka.start(BrokerSettings.ephemeral(3));
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "shared-broker-stop"));
      broker = started;
    }
    return broker;
  }

  /** A name no other test in this JVM has used, e.g. {@code images-7}. */
  public static String unique(String prefix) {
    return prefix + "-" + COUNTER.incrementAndGet();
  }
}
