package catdog.streaming.inference;

import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/** Where the pipeline gets the model to score a batch with. Cheap enough to call once per batch. */
public interface ModelLeases {

  /** A lease on the model serving now; empty before any model is loaded. */
  Optional<ModelLease> acquire();

  /**
   * The lease that scores the record with this key: the canary candidate for the keys a running canary
   * takes (a stable hash of the key decides), else the serving model, as {@link #acquire()}.
   */
  default Optional<ModelLease> acquire(String recordKey) {
    return acquire();
  }

  /**
   * Splits a batch between the serving model and a running canary by record key: one lease per model used,
   * each with the positions (into {@code keys}) of the records it scores. Empty before any model is loaded.
   * The caller runs each part with its lease and closes every lease.
   */
  default List<Routed> route(List<String> keys) {
    return acquire().map(lease -> List.of(new Routed(lease, IntStream.range(0, keys.size()).toArray()))).orElse(List.of());
  }

  /** A lease and the positions of the batch's records it scores. */
  record Routed(ModelLease lease, int[] positions) {}

  /** A lease on the shadow candidate while a shadow trial runs: it scores a copy of every batch. */
  default Optional<ModelLease> acquireShadow() {
    return Optional.empty();
  }
}
