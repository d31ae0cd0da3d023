package catdog.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam (Kingma and Ba) with decoupled weight decay on weights only (Loshchilov and Hutter). Its moments
 * are keyed by parameter name, so they go into checkpoints and a resumed run continues where it stopped;
 * DJL's own optimizers key them by random ids, which a new process cannot match.
 */
final class AdamW {
  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.999f;
  private static final float EPSILON = 1e-8f;

  private final NDManager manager;
  private final float weightDecay;
  private final Map<String, NDArray> mean = new LinkedHashMap<>();
  private final Map<String, NDArray> variance = new LinkedHashMap<>();
  private long steps;

  AdamW(NDManager manager, float weightDecay) {
    this.manager = manager;
    this.weightDecay = weightDecay;
  }

  /** One update of every trainable parameter from its gradient, which is then cleared. */
  void step(PairList<String, Parameter> parameters, float learningRate) {
    steps++;
    float correction1 = 1 - (float) Math.pow(BETA1, steps);
    float correction2 = 1 - (float) Math.pow(BETA2, steps);
    float stepSize = learningRate * (float) Math.sqrt(correction2) / correction1;
    for (Pair<String, Parameter> entry : parameters) {
      Parameter p = entry.getValue();
      if (!p.requiresGradient()) {
        continue;
      }
      NDArray weight = p.getArray();
      try (NDManager scratch = manager.newSubManager()) {
        NDArray grad = weight.getGradient();
        grad.attach(scratch);
        NDArray m = mean.computeIfAbsent(entry.getKey(), k -> manager.zeros(weight.getShape()));
        NDArray v = variance.computeIfAbsent(entry.getKey(), k -> manager.zeros(weight.getShape()));
        m.muli(BETA1).addi(grad.mul(1 - BETA1));
        v.muli(BETA2).addi(grad.square().muli(1 - BETA2));
        if (weightDecay > 0 && p.getType() == Parameter.Type.WEIGHT) {
          weight.muli(1 - learningRate * weightDecay);
        }
        // A result lives with its first operand's manager: made from the moments, it would outlive the step
        // (half a gigabyte an epoch for catdog) unless attached to the scratch manager.
        NDArray denominator = v.sqrt();
        denominator.attach(scratch);
        NDArray update = m.div(denominator.addi(EPSILON));
        update.attach(scratch);
        weight.subi(update.muli(stepSize));
        grad.subi(grad);
      }
    }
  }

  long steps() {
    return steps;
  }

  /** The moments and step count, named for a checkpoint. */
  Map<String, NDArray> state() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    mean.forEach((k, v) -> out.put("adam.m/" + k, v));
    variance.forEach((k, v) -> out.put("adam.v/" + k, v));
    return out;
  }

  void restore(Map<String, NDArray> tensors, long steps) {
    tensors.forEach((k, v) -> {
      if (k.startsWith("adam.m/")) {
        mean.put(k.substring(7), v);
      } else if (k.startsWith("adam.v/")) {
        variance.put(k.substring(7), v);
      }
    });
    this.steps = steps;
  }
}
