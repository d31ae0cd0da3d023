package catdog.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import catdog.trainer.model.ModelSpec;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AdamWTest {
  @Test
  void shouldLeaveNoArraysBehindAfterAStep() {
    try (Network net = Network.create(ModelSpec.require("lenet"), Network.Init.XAVIER)) {
      AdamW adam = new AdamW(net.manager(), 0.05f);
      float[] x = new float[4 * 28 * 28];
      Random random = new Random(1);
      for (int i = 0; i < x.length; i++) {
        x[i] = random.nextFloat();
      }
      step(net, adam, x);
      // The first step creates the moments; later ones must only update them in place.
      int arrays = net.manager().getManagedArrays().size();
      for (int i = 0; i < 3; i++) {
        step(net, adam, x);
      }
      assertThat(net.manager().getManagedArrays()).hasSize(arrays);
      assertThat(adam.steps()).isEqualTo(4);
    }
  }

  private static void step(Network net, AdamW adam, float[] x) {
    try (NDManager scope = net.manager().newSubManager()) {
      NDArray labels = scope.create(new long[] {0, 1, 2, 3}, new Shape(4));
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray logits = net.logits(scope, x, 4, true);
        gc.backward(Loss.softmaxCrossEntropyLoss().evaluate(new NDList(labels), new NDList(logits)));
      }
      adam.step(net.block().getParameters(), 1e-3f);
    }
  }
}
