package catdog.streaming.inference;

import com.typesafe.config.Config;
import java.util.Locale;

/**
 * How ONNX Runtime sessions are opened. Read from the {@code catdog.inference} block of the service's
 * configuration with {@link #fromConfig(Config)}.
 *
 * @param intraOpThreads threads one {@code run()} may use; 0 lets ONNX Runtime use every core
 * @param optimization graph optimisation level applied when the session is created
 * @param memoryPattern whether ONNX Runtime pre-plans buffers for repeated input shapes; it pays off when
 *     batches mostly have the same size, and costs memory per distinct size
 * @param provider the execution provider to ask for; CUDA falls back to the CPU when it cannot load
 * @param cudaDevice the CUDA device id, used only with {@link Provider#CUDA}
 * @param batchCapacity the largest batch expected: input buffers are sized for it up front (and grow if a
 *     larger one comes), and the warm-up runs one batch of this size
 */
public record InferenceSettings(int intraOpThreads, Optimization optimization, boolean memoryPattern, Provider provider, int cudaDevice,
    int batchCapacity) {

  /** Graph optimisation levels, as ONNX Runtime names them without the {@code _OPT} suffix. */
  public enum Optimization { NONE, BASIC, EXTENDED, ALL }

  /** Execution providers this service knows how to request. */
  public enum Provider { CPU, CUDA }

  public InferenceSettings {
    if (intraOpThreads < 0 || cudaDevice < 0 || batchCapacity < 1) {
      throw new IllegalArgumentException("intra-op threads and CUDA device must be ≥ 0 and batch capacity ≥ 1");
    }
  }

  /** One intra-op thread, all optimisations, memory pattern on, CPU, batches of up to 32. */
  public static InferenceSettings defaults() {
    return new InferenceSettings(1, Optimization.ALL, true, Provider.CPU, 0, 32);
  }

  /**
   * Reads {@code intra-op-threads}, {@code optimization} (none|basic|extended|all), {@code memory-pattern},
   * {@code execution-provider} (cpu|cuda), {@code cuda-device} and {@code batch-capacity} from the given block.
   */
  public static InferenceSettings fromConfig(Config c) {
    return new InferenceSettings(
        c.getInt("intra-op-threads"),
        Optimization.valueOf(c.getString("optimization").toUpperCase(Locale.ROOT)),
        c.getBoolean("memory-pattern"),
        Provider.valueOf(c.getString("execution-provider").toUpperCase(Locale.ROOT)),
        c.getInt("cuda-device"),
        c.getInt("batch-capacity"));
  }

  public InferenceSettings withProvider(Provider p, int device) {
    return new InferenceSettings(intraOpThreads, optimization, memoryPattern, p, device, batchCapacity);
  }

  public InferenceSettings withBatchCapacity(int capacity) {
    return new InferenceSettings(intraOpThreads, optimization, memoryPattern, provider, cudaDevice, capacity);
  }
}
