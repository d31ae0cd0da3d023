package catdog.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import catdog.streaming.inference.Preprocessing;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTest {
  private static final float[] CAT = {0.9f, 0.1f};
  private static final float[] DOG = {0.2f, 0.8f};
  private static final float[] UNSURE_DOG = {0.45f, 0.55f};

  // Six photos, the first four in set "a": cat, cat, dog, dog | cat, dog.
  private static Comparison threeModels() {
    int[] labels = {0, 0, 1, 1, 0, 1};
    float[][] first = {CAT, CAT, DOG, CAT, CAT, CAT};           // right on 0, 1, 2, 4
    float[][] second = {CAT, DOG, DOG, DOG, UNSURE_DOG, DOG};   // right on 0, 2, 3, 5
    float[][] third = {CAT, CAT, DOG, DOG, CAT, DOG};           // right on all six
    return new Comparison(List.of("first", "second", "third"), List.of("a", "b"), new int[] {4, 2}, labels,
        List.of(first, second, third));
  }

  @Test
  void shouldCountThePhotosOnlyOneOfAPairGotRight() {
    Comparison.Pair p = threeModels().pair(0, 1);

    assertThat(p.bothRight()).isEqualTo(2);
    assertThat(p.onlyFirst()).isEqualTo(2);
    assertThat(p.onlySecond()).isEqualTo(2);
    assertThat(p.bothWrong()).isZero();
    assertThat(p.z()).isZero();
    Comparison.Pair q = threeModels().pair(0, 2);
    assertThat(q.onlyFirst()).isZero();
    assertThat(q.onlySecond()).isEqualTo(2);
    assertThat(q.z()).isCloseTo(-2 / Math.sqrt(2), within(1e-12));
  }

  @Test
  void shouldCallADifferenceSignificantOnlyWhenTheDisagreementsAreLopsided() {
    assertThat(new Comparison.Pair("x", "y", 900, 30, 10, 50).z()).isCloseTo(20 / Math.sqrt(40), within(1e-12)); // 3.16
    assertThat(new Comparison.Pair("x", "y", 900, 22, 18, 50).z()).isCloseTo(4 / Math.sqrt(40), within(1e-12)); // 0.63
    assertThat(new Comparison.Pair("x", "y", 1000, 0, 0, 0).z()).isZero();
  }

  @Test
  void shouldGiveAccuracyPerSetAndOverAll() {
    Comparison c = threeModels();

    assertThat(c.accuracy(0)).isCloseTo(4.0 / 6, within(1e-12));
    assertThat(c.accuracy(0, 0)).isCloseTo(3.0 / 4, within(1e-12));
    assertThat(c.accuracy(0, 1)).isCloseTo(1.0 / 2, within(1e-12));
    assertThat(c.accuracy(2)).isEqualTo(1.0);
  }

  @Test
  void shouldScoreTheAveragedProbabilities() {
    // Photo 4 (a cat): first 0.9 and second 0.45 for cat average to 0.675, so the pair gets it right together;
    // photo 5 (a dog): 0.1 and 0.8 for dog, 0.45: wrong together.
    Comparison pair = new Comparison(List.of("first", "second"), List.of("a"), new int[] {6}, threeModels().labels(),
        List.of(threeModels().probabilities().get(0), threeModels().probabilities().get(1)));

    assertThat(pair.averagedAccuracy()).isCloseTo(4.0 / 6, within(1e-12));
    assertThat(pair.report()).contains("6 images: a (6)", "all 2 averaged: 0.6667", "first vs second: 2 vs 2, z = 0.00 (not significant)");
  }

  @Test
  void shouldRefuseModelsWithOtherLabelsBeforeDecodingAnything() {
    List<Classifier> models = List.of(new Fixed("a", List.of("cat", "dog")), new Fixed("b", List.of("dog", "cat")));

    assertThatThrownBy(() -> Comparison.of(models, p -> {
      throw new AssertionError("decoded");
    }, List.of("x"))).hasMessageContaining("b has labels [dog, cat], a [cat, dog]");
  }

  private record Fixed(String name, List<String> labels) implements Classifier {
    @Override
    public Preprocessing preprocessing() {
      return Preprocessing.unitRgb(8, 8);
    }

    @Override
    public float[][] probabilities(float[] batch, int n) {
      throw new AssertionError("scored");
    }

    @Override
    public void close() {}
  }
}
