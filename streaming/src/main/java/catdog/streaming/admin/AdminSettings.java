package catdog.streaming.admin;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code catdog.admin} block of the configuration: who may change models, and what a new model must
 * prove before and after it serves. See reference.conf for each key's meaning.
 *
 * @param token the bearer token the admin HTTP API requires; empty refuses every admin request
 * @param maxUploadBytes the largest ONNX upload the admin API accepts
 * @param followModelsTopic whether the service loads the models published on {@code catdog.topics.models}
 * @param gates checks a candidate must pass before it serves
 * @param probation checks a freshly swapped model must pass over its first batches, or be rolled back
 */
public record AdminSettings(String token, long maxUploadBytes, boolean followModelsTopic, Gates gates, Probation probation) {

  /**
   * @param goldenSet a directory of labelled images ({@code <label>.*.jpg}, or one sub-directory per label)
   * @param accuracyTolerance how much lower than the serving model's golden-set accuracy a candidate may be
   * @param warmUpRuns warm-up batches run to measure latency
   * @param maxWarmUpP99 the largest 99th-percentile warm-up batch latency allowed; zero disables the gate
   */
  public record Gates(Optional<Path> goldenSet, double accuracyTolerance, int warmUpRuns, Duration maxWarmUpP99) {
    public Gates {
      if (warmUpRuns < 1 || accuracyTolerance < 0) {
        throw new IllegalArgumentException("warm-up runs must be ≥ 1 and the accuracy tolerance ≥ 0");
      }
    }
  }

  /**
   * @param batches batches watched after a swap; zero disables automatic rollback
   * @param maxErrorRate the largest share of failed batches allowed among them
   * @param maxP99 the largest 99th-percentile batch latency allowed among them; zero disables this check
   */
  public record Probation(int batches, double maxErrorRate, Duration maxP99) {
    public Probation {
      if (batches < 0 || maxErrorRate < 0 || maxErrorRate > 1) {
        throw new IllegalArgumentException("probation batches must be ≥ 0 and the error rate within [0, 1]");
      }
    }
  }

  public AdminSettings {
    if (maxUploadBytes < 1) {
      throw new IllegalArgumentException("max upload size must be positive");
    }
  }

  /** No token (admin API closed), 512 MiB uploads, following the topic, no golden set, 1 warm-up, no probation. */
  public static AdminSettings defaults() {
    return new AdminSettings("", 512L * 1024 * 1024, true, new Gates(Optional.empty(), 0.02, 1, Duration.ZERO),
        new Probation(0, 0.05, Duration.ZERO));
  }

  /** Reads the {@code catdog.admin} block itself (pass {@code config.getConfig("catdog.admin")}). */
  public static AdminSettings fromConfig(Config c) {
    String golden = c.getString("gates.golden-set");
    return new AdminSettings(
        c.getString("token"),
        c.getBytes("max-upload-size"),
        c.getBoolean("follow-models-topic"),
        new Gates(golden.isBlank() ? Optional.empty() : Optional.of(Path.of(golden)), c.getDouble("gates.accuracy-tolerance"),
            c.getInt("gates.warm-up-runs"), c.getDuration("gates.max-warm-up-p99")),
        new Probation(c.getInt("probation.batches"), c.getDouble("probation.max-error-rate"), c.getDuration("probation.max-p99")));
  }

  public AdminSettings withGates(Gates g) {
    return new AdminSettings(token, maxUploadBytes, followModelsTopic, g, probation);
  }

  public AdminSettings withProbation(Probation p) {
    return new AdminSettings(token, maxUploadBytes, followModelsTopic, gates, p);
  }

  public AdminSettings withToken(String t) {
    return new AdminSettings(t, maxUploadBytes, followModelsTopic, gates, probation);
  }

  public AdminSettings withMaxUploadBytes(long max) {
    return new AdminSettings(token, max, followModelsTopic, gates, probation);
  }

  /** Never prints the token. */
  @Override
  public String toString() {
    return "AdminSettings[token=" + (token.isEmpty() ? "(none: admin API closed)" : "****") + ", maxUploadBytes=" + maxUploadBytes
        + ", followModelsTopic=" + followModelsTopic + ", gates=" + gates + ", probation=" + probation + "]";
  }
}
