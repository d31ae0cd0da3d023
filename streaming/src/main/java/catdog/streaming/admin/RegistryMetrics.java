package catdog.streaming.admin;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.DoubleSupplier;

/** The registry's Prometheus metrics: swaps, refusals by kind, rollbacks by trigger, open sessions, trials. */
final class RegistryMetrics {
  private final Counter swaps;
  private final Counter refusals;
  private final Counter rollbacks;

  RegistryMetrics(PrometheusRegistry registry, DoubleSupplier openSessions, DoubleSupplier canaryPercent, DoubleSupplier shadowAgreement) {
    swaps = Counter.builder().name("catdog_model_swaps").help("Models swapped in (loads, promotions and rollbacks)").register(registry);
    refusals = Counter.builder().name("catdog_model_refusals").help("Models refused, by kind of reason").labelNames("kind").register(registry);
    rollbacks = Counter.builder().name("catdog_model_rollbacks").help("Rollbacks, by trigger (manual or automatic)").labelNames("trigger")
        .register(registry);
    GaugeWithCallback.builder().name("catdog_model_sessions_open").help("ONNX Runtime sessions held open, including retired ones still leased")
        .callback(cb -> cb.call(openSessions.getAsDouble())).register(registry);
    GaugeWithCallback.builder().name("catdog_canary_percent").help("Share of records scored by the canary candidate, 0 without a canary")
        .callback(cb -> cb.call(canaryPercent.getAsDouble())).register(registry);
    GaugeWithCallback.builder().name("catdog_shadow_agreement_ratio").help("Share of records where the shadow candidate's top class matched")
        .callback(cb -> {
          double rate = shadowAgreement.getAsDouble();
          if (!Double.isNaN(rate)) {
            cb.call(rate);
          }
        }).register(registry);
  }

  void swapped() {
    swaps.inc();
  }

  void rolledBack(boolean automatic) {
    rollbacks.labelValues(automatic ? "automatic" : "manual").inc();
  }

  void refused(String reason) {
    refusals.labelValues(kind(reason)).inc();
  }

  /** A bounded label for a free-text reason. */
  static String kind(String reason) {
    if (reason.contains("not a loadable ONNX model") || reason.contains("cannot read")) {
      return "unreadable";
    } else if (reason.contains("inputs are") || reason.contains("outputs are") || reason.contains("input '") || reason.contains("output '")) {
      return "signature";
    } else if (reason.contains("metadata")) {
      return "metadata";
    } else if (reason.contains("warm-up failed")) {
      return "warm_up";
    } else if (reason.contains("golden-set accuracy") || reason.contains("warm-up p99")) {
      return "gate";
    } else if (reason.contains("the service feeds") || reason.contains("the service serves")) {
      return "incompatible";
    }
    return "other";
  }
}
