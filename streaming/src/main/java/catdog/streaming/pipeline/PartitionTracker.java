package catdog.streaming.pipeline;

import akka.kafka.RestrictedConsumer;
import akka.kafka.javadsl.PartitionAssignmentHandler;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;

/** Which input partitions this instance holds now; readiness needs at least one. */
public final class PartitionTracker implements PartitionAssignmentHandler {
  private final Set<TopicPartition> assigned = ConcurrentHashMap.newKeySet();

  public Set<TopicPartition> assigned() {
    return Set.copyOf(assigned);
  }

  public boolean hasAssignment() {
    return !assigned.isEmpty();
  }

  @Override
  public void onAssign(Set<TopicPartition> partitions, RestrictedConsumer consumer) {
    assigned.addAll(partitions);
  }

  @Override
  public void onRevoke(Set<TopicPartition> partitions, RestrictedConsumer consumer) {
    assigned.removeAll(partitions);
  }

  @Override
  public void onLost(Set<TopicPartition> partitions, RestrictedConsumer consumer) {
    assigned.removeAll(partitions);
  }

  @Override
  public void onStop(Set<TopicPartition> partitions, RestrictedConsumer consumer) {
    assigned.clear();
  }
}
