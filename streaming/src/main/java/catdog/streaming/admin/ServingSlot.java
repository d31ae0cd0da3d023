package catdog.streaming.admin;

import catdog.streaming.inference.ModelLease;
import catdog.streaming.inference.ModelLeases;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.apache.kafka.common.utils.Utils;

/**
 * The pipeline's view of the registry: which model serves now, and which candidate is on trial. The
 * {@link ModelRegistry} publishes into it; the pipeline acquires a lease once per batch (or per record key
 * for canary routing). Acquiring is a volatile read and a CAS, never a message to the actor, and a swap is
 * a single reference write, so a batch is scored entirely by the one model its lease names.
 */
public final class ServingSlot implements ModelLeases {
  /** What the registry published: the serving model and an optional trial. */
  record Published(Optional<ModelHandle> primary, Optional<Trial> trial) {
    static final Published NOTHING = new Published(Optional.empty(), Optional.empty());
  }

  /** A candidate on trial; {@code basisPoints} of 10 000 keys go to a canary. */
  record Trial(ModelHandle handle, TrialMode mode, int basisPoints) {}

  private final AtomicReference<Published> published = new AtomicReference<>(Published.NOTHING);

  @Override
  public Optional<ModelLease> acquire() {
    return lease(p -> p.primary(), false);
  }

  @Override
  public Optional<ModelLease> acquire(String recordKey) {
    Published p = published.get();
    if (p.trial().isPresent() && p.trial().get().mode() == TrialMode.CANARY && routesToCanary(recordKey, p.trial().get().basisPoints())) {
      Optional<ModelLease> canary = lease(q -> q.trial().filter(t -> t.mode() == TrialMode.CANARY).map(Trial::handle), true);
      if (canary.isPresent()) {
        return canary;
      }
    }
    return acquire();
  }

  @Override
  public List<Routed> route(List<String> keys) {
    Published p = published.get();
    Optional<Trial> canary = p.trial().filter(t -> t.mode() == TrialMode.CANARY);
    if (canary.isEmpty()) {
      return ModelLeases.super.route(keys);
    }
    int[] toCanary = IntStream.range(0, keys.size()).filter(i -> routesToCanary(keys.get(i), canary.get().basisPoints())).toArray();
    int[] toPrimary = IntStream.range(0, keys.size()).filter(i -> !routesToCanary(keys.get(i), canary.get().basisPoints())).toArray();
    List<Routed> parts = new ArrayList<>(2);
    Optional<ModelLease> canaryLease = toCanary.length == 0 ? Optional.empty()
        : lease(q -> q.trial().filter(t -> t.mode() == TrialMode.CANARY).map(Trial::handle), true);
    if (canaryLease.isPresent()) {
      parts.add(new Routed(canaryLease.get(), toCanary));
    } else {
      toPrimary = IntStream.range(0, keys.size()).toArray();
    }
    if (toPrimary.length > 0) {
      Optional<ModelLease> primary = acquire();
      if (primary.isEmpty()) {
        canaryLease.ifPresent(ModelLease::close);
        return List.of();
      }
      parts.add(new Routed(primary.get(), toPrimary));
    }
    return parts;
  }

  @Override
  public Optional<ModelLease> acquireShadow() {
    return lease(p -> p.trial().filter(t -> t.mode() == TrialMode.SHADOW).map(Trial::handle), false);
  }

  /** Whether a canary taking {@code basisPoints} of 10 000 takes this key: murmur2, as Kafka partitions keys. */
  static boolean routesToCanary(String key, int basisPoints) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % 10_000 < basisPoints;
  }

  private Optional<ModelLease> lease(java.util.function.Function<Published, Optional<ModelHandle>> pick, boolean canary) {
    while (true) {
      Published p = published.get();
      Optional<ModelHandle> handle = pick.apply(p);
      if (handle.isEmpty()) {
        return Optional.empty();
      }
      if (handle.get().tryRetain()) {
        return Optional.of(new Lease(handle.get(), canary));
      }
      if (published.get() == p) {
        // Retired while still published: only a registry that stopped without clearing could leave this.
        return Optional.empty();
      }
      // Lost a race with a swap that retired this handle after we read it: the slot names its successor.
    }
  }

  /** The registry only: what serves now. The registry retires a handle only after unpublishing it. */
  void publish(Optional<ModelHandle> primary, Optional<Trial> trial) {
    published.set(new Published(primary, trial));
  }

  /** The registry only, when it stops. */
  void clear() {
    published.set(Published.NOTHING);
  }
}
