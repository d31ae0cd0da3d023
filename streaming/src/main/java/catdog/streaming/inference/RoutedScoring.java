package catdog.streaming.inference;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores one batch the way the admin side asks: records split between the serving model and a running
 * canary by key ({@link ModelLeases#route}), and a copy scored by a shadow candidate when one runs, with its
 * agreement recorded. Every lease taken is closed before this returns. The pipeline turns each {@link Row}
 * into a prediction naming {@code row.model()} and {@code row.canary()}, and a present {@link Shadow} into
 * predictions on the shadow topic.
 */
public final class RoutedScoring {
  private static final Logger log = LoggerFactory.getLogger(RoutedScoring.class);

  private RoutedScoring() {}

  /** One record's outcome: scored by a model, or failed with that model's reason. */
  public sealed interface Row {
    ModelInfo model();

    boolean canary();

    record Scored(ModelInfo model, boolean canary, float[] probabilities) implements Row {}

    record Failed(ModelInfo model, boolean canary, String reason) implements Row {}
  }

  /** The shadow candidate's probabilities for every record of the batch. */
  public record Shadow(ModelInfo model, float[][] probabilities) {}

  /**
   * @param rows one per record, in batch order; empty when no model is loaded
   * @param shadow the shadow's scores when a shadow runs and its batch succeeded
   */
  public record Outcome(List<Row> rows, Optional<Shadow> shadow) {}

  /**
   * Scores the first {@code keys.size()} images of {@code input} (each {@code tensorSize} floats, the serving
   * model's preprocessing; a candidate always shares it).
   */
  public static Outcome score(ModelLeases leases, List<String> keys, float[] input, int tensorSize) {
    int n = keys.size();
    Row[] rows = new Row[n];
    List<ModelLeases.Routed> parts = leases.route(keys);
    try {
      for (ModelLeases.Routed part : parts) {
        ModelLease lease = part.lease();
        int[] at = part.positions();
        float[] sub = at.length == n ? input : gather(input, at, tensorSize);
        BatchResult result = lease.run(sub, at.length);
        for (int k = 0; k < at.length; k++) {
          rows[at[k]] = result instanceof BatchResult.Scored s
              ? new Row.Scored(lease.info(), lease.canary(), s.probabilities()[k])
              : new Row.Failed(lease.info(), lease.canary(), ((BatchResult.Failed) result).reason());
        }
      }
    } finally {
      parts.forEach(p -> p.lease().close());
    }
    if (parts.isEmpty()) {
      return new Outcome(List.of(), Optional.empty());
    }
    return new Outcome(Arrays.asList(rows), shadow(leases, rows, input, n));
  }

  private static Optional<Shadow> shadow(ModelLeases leases, Row[] rows, float[] input, int n) {
    Optional<ModelLease> shadow = leases.acquireShadow();
    if (shadow.isEmpty()) {
      return Optional.empty();
    }
    try (ModelLease lease = shadow.get()) {
      BatchResult result = lease.run(input, n);
      if (result instanceof BatchResult.Failed failed) {
        log.warn("Shadow model {} failed a batch of {}: {}", lease.info().id(), n, failed.reason());
        return Optional.empty();
      }
      float[][] p = ((BatchResult.Scored) result).probabilities();
      for (int i = 0; i < n; i++) {
        if (rows[i] instanceof Row.Scored s && !s.canary()) {
          lease.recordAgreement(argmax(s.probabilities()) == argmax(p[i]));
        }
      }
      return Optional.of(new Shadow(lease.info(), p));
    }
  }

  /** The index of the highest probability: the predicted class. */
  public static int argmax(float[] row) {
    int best = 0;
    for (int i = 1; i < row.length; i++) {
      if (row[i] > row[best]) {
        best = i;
      }
    }
    return best;
  }

  private static float[] gather(float[] input, int[] positions, int size) {
    float[] out = new float[positions.length * size];
    for (int k = 0; k < positions.length; k++) {
      System.arraycopy(input, positions[k] * size, out, k * size, size);
    }
    return out;
  }
}
