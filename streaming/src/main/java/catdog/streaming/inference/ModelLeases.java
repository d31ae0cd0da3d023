package catdog.streaming.inference;

import java.util.Optional;

/** Where the pipeline gets the model to score a batch with. Cheap enough to call once per batch. */
public interface ModelLeases {

  /** A lease on the model serving now; empty before any model is loaded. */
  Optional<ModelLease> acquire();
}
