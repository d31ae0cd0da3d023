package catdog.streaming.inference;

/**
 * The right to run batches on one loaded model until {@link #close()}. While any lease is open its model's
 * session stays open, even after a swap retired it; this is what makes closing a session during
 * {@code run()} impossible. Take one lease per batch, close it when the batch is scored:
 *
 * <pre>{@code
 * try (ModelLease lease = leases.acquire().orElseThrow()) {
 *   BatchResult r = lease.run(tensors, n);   // every row scored by lease.info()
 * }
 * }</pre>
 *
 * A lease may be used from any thread, but {@link #run} must not be called after {@link #close()}.
 */
public interface ModelLease extends AutoCloseable {

  /** The model that scores this lease's batches: predictions carry its name and version. */
  ModelInfo info();

  /**
   * Scores the first {@code n} images of {@code batch}, each {@code info().preprocessing().tensorSize()}
   * floats laid out back to back.
   */
  BatchResult run(float[] batch, int n);

  /**
   * True when this lease is on a canary candidate: predictions it scores must carry {@code canary = true}
   * and {@code info()}'s version.
   */
  default boolean canary() {
    return false;
  }

  /**
   * On a shadow lease: reports whether the shadow's top class for one record equals the serving model's.
   * The registry turns these into the agreement rate shown by the admin status and metrics.
   */
  default void recordAgreement(boolean agreed) {}

  /** Releases the model; idempotent. The last release of a retired model closes its session. */
  @Override
  void close();
}
