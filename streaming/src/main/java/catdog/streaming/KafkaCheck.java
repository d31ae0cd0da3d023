package catdog.streaming;

import akka.Done;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The start-up check that Kafka answers, accepts our credentials and has the input topic. The consumer
 * would retry a refused login forever; this says what is wrong within the start-up timeout instead.
 */
final class KafkaCheck {
  private KafkaCheck() {}

  static CompletionStage<Done> run(Settings settings, Executor pool) {
    return CompletableFuture.supplyAsync(() -> {
      check(settings.kafka(), settings.topics().imageTopics());
      if (settings.delivery().mode() == Settings.DeliveryMode.EXACTLY_ONCE) {
        fencePredecessor(settings);
      }
      return Done.getInstance();
    }, pool);
  }

  /**
   * Aborts the open transaction a killed predecessor with our transactional id left behind. Until it is
   * aborted its pending offset commits keep our read_committed consumer from fetching committed offsets,
   * and the transactional producer, created on the first record, would never be created: the service
   * would stall for the whole transaction timeout. Initialising a producer with the same id aborts it now.
   */
  private static void fencePredecessor(Settings settings) {
    Properties p = new Properties();
    p.putAll(settings.kafka().producerProperties());
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafka().bootstrapServers());
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.delivery().transactionalId());
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) settings.kafka().startupTimeout().toMillis());
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
    } catch (org.apache.kafka.common.KafkaException e) {
      throw new CompletionException("cannot take over transactional id " + settings.delivery().transactionalId() + ": " + e.getMessage(), e);
    }
  }

  private static Done check(Settings.Kafka kafka, List<String> imageTopics) {
    Properties p = new Properties();
    p.putAll(kafka.adminProperties());
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    long timeoutMs = kafka.startupTimeout().toMillis();
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMs);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeoutMs, Integer.MAX_VALUE));
    String where = "Kafka at " + kafka.bootstrapServers();
    try (Admin admin = Admin.create(p)) {
      admin.describeCluster().nodes().get(timeoutMs, TimeUnit.MILLISECONDS);
      admin.describeTopics(imageTopics).allTopicNames().get(timeoutMs, TimeUnit.MILLISECONDS);
      return Done.getInstance();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof AuthenticationException) {
        throw new CompletionException(where + " refused our credentials: " + cause.getMessage(), cause);
      }
      if (cause instanceof AuthorizationException) {
        throw new CompletionException(where + " denied access: " + cause.getMessage(), cause);
      }
      if (cause instanceof UnknownTopicOrPartitionException) {
        throw new CompletionException("an input topic of " + imageTopics + " does not exist on " + where + ": " + cause.getMessage(), cause);
      }
      throw new CompletionException(where + " failed: " + cause, cause);
    } catch (TimeoutException e) {
      throw new CompletionException("no answer from " + where + " within " + kafka.startupTimeout(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException("interrupted while checking " + where, e);
    } catch (org.apache.kafka.common.KafkaException e) {
      throw new CompletionException(where + " cannot be reached: " + e.getMessage(), e);
    }
  }
}
