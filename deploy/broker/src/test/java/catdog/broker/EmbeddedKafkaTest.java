package catdog.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {

  @Test
  void shouldCreateTopicsWithPartitionsAndCarryRecords() throws Exception {
    EmbeddedKafka kafka = SharedBroker.get();
    String topic = SharedBroker.unique("t");
    kafka.createTopics(4, topic);
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions().size();
      assertThat(partitions).isEqualTo(4);
    }
    assertThat(roundTrip(kafka.clientProperties(), topic)).isEqualTo("v");
  }

  @Test
  void shouldKeepDataAcrossRestartAndDeleteTempDirOnClose() throws Exception {
    EmbeddedKafka kafka = EmbeddedKafka.start(BrokerSettings.ephemeral(1));
    try {
      kafka.createTopics("r");
      produce(kafka.clientProperties(), "r");
      kafka.restart();
      assertThat(consumeOne(kafka.clientProperties(), "r")).isEqualTo("v");
    } finally {
      kafka.close();
    }
    assertThat(kafka.dataDir()).doesNotExist();
  }

  @Test
  void shouldRequireSaslCredentialsWhenConfigured() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(BrokerSettings.ephemeral(1).withSaslUsers(Map.of("admin", "secret")))) {
      kafka.createTopics("s");
      assertThat(roundTrip(kafka.clientProperties(), "s")).isEqualTo("v");
    }
  }

  private static String roundTrip(Properties base, String topic) throws Exception {
    produce(base, topic);
    return consumeOne(base, topic);
  }

  private static void produce(Properties base, String topic) throws Exception {
    Properties p = new Properties();
    p.putAll(base);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, "k", "v")).get(30, TimeUnit.SECONDS);
    }
  }

  private static String consumeOne(Properties base, String topic) {
    Properties p = new Properties();
    p.putAll(base);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, SharedBroker.unique("g"));
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          return r.value();
        }
      }
    }
    throw new AssertionError("no record on " + topic + " within 30 s");
  }
}
