package catdog.streaming.admin;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import catdog.streaming.inference.BatchResult;
import catdog.streaming.inference.ModelLease;
import catdog.streaming.inference.RoutedScoring;
import catdog.streaming.inference.RoutedScoring.Row;
import catdog.streaming.testing.TestModels;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RoutedScoringTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final int SIZE = 192;
  private static final List<String> KEYS = IntStream.range(0, 24).mapToObj(i -> "image-" + i).toList();
  private RegistryFixture f;

  @BeforeEach
  void start() {
    f = new RegistryFixture(testKit, AdminSettings.defaults());
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void shouldScoreNothingBeforeAModelIsLoaded() {
    assertThat(RoutedScoring.score(f.slot, KEYS, images(1f), SIZE).rows()).isEmpty();
  }

  @Test
  void shouldScoreEveryRecordWithTheServingModelAndReleaseTheLease() {
    f.load(TestModels.tiny("catdog", "v1"));
    RoutedScoring.Outcome out = RoutedScoring.score(f.slot, KEYS, images(1f), SIZE);
    assertThat(out.rows()).hasSize(KEYS.size()).allSatisfy(r -> {
      assertThat(r).isInstanceOf(Row.Scored.class);
      assertThat(r.model().version()).isEqualTo("v1");
      assertThat(r.canary()).isFalse();
    });
    assertThat(out.shadow()).isEmpty();
    assertThat(f.status().current().orElseThrow().leases()).isZero();
  }

  @Test
  void shouldScoreTheCanaryShareWithTheCandidateExactlyAsItScoresAlone() {
    f.load(TestModels.tiny("catdog", "v1"));
    f.trial(TestModels.tiny("catdog", "v2"), TrialMode.CANARY, 50);
    float[] input = images(1f);
    List<Row> rows = RoutedScoring.score(f.slot, KEYS, input, SIZE).rows();
    assertThat(rows).anyMatch(Row::canary).anyMatch(r -> !r.canary());
    for (int i = 0; i < KEYS.size(); i++) {
      try (ModelLease alone = f.slot.acquire(KEYS.get(i)).orElseThrow()) {
        Row.Scored row = (Row.Scored) rows.get(i);
        assertThat(row.canary()).isEqualTo(alone.canary());
        assertThat(row.model()).isEqualTo(alone.info());
        float[] expected = ((BatchResult.Scored) alone.run(Arrays.copyOfRange(input, i * SIZE, (i + 1) * SIZE), 1)).probabilities()[0];
        assertThat(row.probabilities()).containsExactly(expected, org.assertj.core.data.Offset.offset(1e-6f));
      }
    }
    assertThat(f.status().trial().orElseThrow().model().leases()).isZero();
  }

  @Test
  void shouldFailOnlyTheCanaryRowsWhenTheCandidateFails() {
    f.load(TestModels.tiny("catdog", "v1"));
    f.trial(TestModels.failsOnBrightInputs("catdog", "v2"), TrialMode.CANARY, 50);
    List<Row> rows = RoutedScoring.score(f.slot, KEYS, images(5f), SIZE).rows();
    assertThat(rows).allSatisfy(r -> assertThat(r).isInstanceOf(r.canary() ? Row.Failed.class : Row.Scored.class));
    assertThat(rows).anyMatch(Row::canary);
  }

  @Test
  void shouldScoreACopyWithTheShadowAndRecordAgreement() {
    f.load(TestModels.tiny("catdog", "v1"));
    f.trial(TestModels.tiny("catdog", "v1-copy"), TrialMode.SHADOW, 0);
    RoutedScoring.Outcome out = RoutedScoring.score(f.slot, KEYS, images(1f), SIZE);
    assertThat(out.rows()).allSatisfy(r -> assertThat(r.model().version()).isEqualTo("v1"));
    RoutedScoring.Shadow shadow = out.shadow().orElseThrow();
    assertThat(shadow.model().version()).isEqualTo("v1-copy");
    assertThat(shadow.probabilities()).hasNumberOfRows(KEYS.size());
    ModelRegistry.TrialView trial = f.status().trial().orElseThrow();
    assertThat(trial.compared()).isEqualTo(KEYS.size());
    assertThat(trial.agreementRate()).isBetween(0.0, 1.0);
    assertThat(trial.model().leases()).isZero();
  }

  private static float[] images(float scale) {
    Random random = new Random(3);
    float[] out = new float[KEYS.size() * SIZE];
    for (int i = 0; i < out.length; i++) {
      out[i] = random.nextFloat() * scale;
    }
    return out;
  }
}
