package catdog.trainer.cli;

/** PyTorch's thread count, which must be set before the engine starts. */
final class Threads {
  private static final String INTRA = "ai.djl.pytorch.num_threads";
  private static final String INTER = "ai.djl.pytorch.num_interop_threads";

  private Threads() {}

  static void configure(Integer threads) {
    int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
    if (n < 1) {
      throw new IllegalArgumentException("--threads must be at least 1");
    }
    System.setProperty(INTRA, Integer.toString(n));
    System.setProperty(INTER, "1");
  }

  static int current() {
    return Integer.parseInt(System.getProperty(INTRA, Integer.toString(Runtime.getRuntime().availableProcessors())));
  }
}
