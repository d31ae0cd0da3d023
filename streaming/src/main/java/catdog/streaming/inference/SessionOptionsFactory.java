package catdog.streaming.inference;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

/**
 * Builds {@link SessionOptions} for the configured execution provider. CUDA is tried by adding the provider,
 * because {@code OrtEnvironment.getAvailableProviders()} lists what was compiled in, not what can load.
 */
final class SessionOptionsFactory {
  private SessionOptionsFactory() {}

  /** The options and the provider they really use; the caller closes the options. */
  record Configured(SessionOptions options, String provider) {}

  static Configured create(InferenceSettings settings) throws OrtException {
    if (settings.provider() == InferenceSettings.Provider.CUDA) {
      SessionOptions cuda = base(settings);
      try {
        cuda.addCUDA(settings.cudaDevice());
        return new Configured(cuda, "CUDA device " + settings.cudaDevice());
      } catch (OrtException e) {
        cuda.close();
        return new Configured(base(settings), "CPU (CUDA device " + settings.cudaDevice() + " requested but unavailable: "
            + firstLine(e.getMessage()) + ")");
      }
    }
    return new Configured(base(settings), "CPU");
  }

  private static SessionOptions base(InferenceSettings settings) throws OrtException {
    SessionOptions options = new SessionOptions();
    try {
      options.setIntraOpNumThreads(settings.intraOpThreads());
      options.setOptimizationLevel(switch (settings.optimization()) {
        case NONE -> OptLevel.NO_OPT;
        case BASIC -> OptLevel.BASIC_OPT;
        case EXTENDED -> OptLevel.EXTENDED_OPT;
        case ALL -> OptLevel.ALL_OPT;
      });
      options.setMemoryPatternOptimization(settings.memoryPattern());
      return options;
    } catch (OrtException e) {
      options.close();
      throw e;
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no reason given";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
