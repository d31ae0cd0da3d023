package catdog.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationTest {
  @Test
  void shouldComputePrecisionRecallAndAccuracyFromTheConfusionMatrix() {
    // 10 cats: 8 right, 2 called dogs; 5 dogs: 4 right, 1 called a cat.
    Evaluation e = new Evaluation("m", "d", List.of("cat", "dog"), new int[][] {{8, 2}, {1, 4}});

    assertThat(e.total()).isEqualTo(15);
    assertThat(e.accuracy()).isCloseTo(12.0 / 15, within(1e-12));
    assertThat(e.precision(0)).isCloseTo(8.0 / 9, within(1e-12));
    assertThat(e.recall(0)).isCloseTo(8.0 / 10, within(1e-12));
    assertThat(e.precision(1)).isCloseTo(4.0 / 6, within(1e-12));
    assertThat(e.recall(1)).isCloseTo(4.0 / 5, within(1e-12));
    assertThat(e.report()).contains("accuracy 0.8000", "cat", "dog");
    assertThat(e.toJson()).containsEntry("images", 15L);
  }

  @Test
  void shouldMapDataClassesToModelLabelsByName() {
    assertThat(Evaluation.labelMap(List.of("dog", "cat"), List.of("cat", "dog"))).containsExactly(1, 0);
    assertThat(assertThrows(IllegalArgumentException.class, () -> Evaluation.labelMap(List.of("cow"), List.of("cat", "dog"))).getMessage())
        .contains("cow");
  }
}
