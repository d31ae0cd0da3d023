package catdog.streaming.admin;

import catdog.streaming.inference.ModelLease;
import catdog.streaming.inference.ModelLeases;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The pipeline's view of the registry: which model serves now. The {@link ModelRegistry} publishes into it;
 * the pipeline calls {@link #acquire()} once per batch. Acquiring is a volatile read and a CAS, never a
 * message to the actor, and a swap is a single reference write, so a batch is scored entirely by the one
 * model its lease names.
 */
public final class ServingSlot implements ModelLeases {
  private final AtomicReference<Optional<ModelHandle>> current = new AtomicReference<>(Optional.empty());

  @Override
  public Optional<ModelLease> acquire() {
    while (true) {
      Optional<ModelHandle> handle = current.get();
      if (handle.isEmpty()) {
        return Optional.empty();
      }
      if (handle.get().tryRetain()) {
        return Optional.of(new Lease(handle.get()));
      }
      if (current.get() == handle) {
        // Retired while still published: only a registry that stopped without clearing could leave this.
        return Optional.empty();
      }
      // Lost a race with a swap that retired this handle after we read it: the slot names its successor.
    }
  }

  /** The registry only: makes {@code handle} the serving model. The registry retires handles only after this. */
  void publish(ModelHandle handle) {
    current.set(Optional.of(handle));
  }

  /** The registry only, when it stops. */
  void clear() {
    current.set(Optional.empty());
  }
}
