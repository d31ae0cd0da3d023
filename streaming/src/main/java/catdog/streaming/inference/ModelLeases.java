package catdog.streaming.inference;

import java.util.Optional;

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

  /** A lease on the shadow candidate while a shadow trial runs: it scores a copy of every batch. */
  default Optional<ModelLease> acquireShadow() {
    return Optional.empty();
  }
}
