package catdog.streaming.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import catdog.streaming.admin.ModelRegistry.Status;
import catdog.streaming.inference.ModelLease;
import catdog.streaming.testing.TestModels;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModelTrialTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
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
  void shouldRouteTheCanaryShareOfKeysToTheCandidateDeterministically() {
    assertThat(f.trialError(TestModels.tiny("tiny", "v2"), TrialMode.CANARY, 25)).contains("no model is serving");
    f.load(TestModels.tiny("tiny", "v1"));
    Status started = f.trial(TestModels.tiny("tiny", "v2"), TrialMode.CANARY, 25);
    assertThat(started.trial().orElseThrow().model().info().version()).isEqualTo("v2");
    assertThat(started.trial().orElseThrow().percent()).isEqualTo(25.0);

    long canaries = IntStream.range(0, 4000).filter(i -> {
      try (ModelLease lease = f.slot.acquire("image-" + i).orElseThrow(); ModelLease again = f.slot.acquire("image-" + i).orElseThrow()) {
        assertThat(again.canary()).isEqualTo(lease.canary());
        assertThat(lease.info().version()).isEqualTo(lease.canary() ? "v2" : "v1");
        return lease.canary();
      }
    }).count();
    assertThat(canaries / 4000.0).isCloseTo(0.25, within(0.03));
    assertThat(f.servingVersion()).as("batches without a key stay on the serving model").isEqualTo("v1");
    assertThat(f.metric("catdog_canary_percent")).isEqualTo(25.0);
    assertThat(f.trialError(TestModels.tiny("tiny", "v3"), TrialMode.SHADOW, 0)).contains("is running; promote or abort it first");
  }

  @Test
  void shouldSplitABatchBetweenTheServingModelAndTheCanary() {
    assertThat(f.slot.route(java.util.List.of("a"))).as("nothing serves yet").isEmpty();
    f.load(TestModels.tiny("tiny", "v1"));
    java.util.List<String> keys = IntStream.range(0, 40).mapToObj(i -> "image-" + i).toList();
    java.util.List<catdog.streaming.inference.ModelLeases.Routed> alone = f.slot.route(keys);
    assertThat(alone).hasSize(1);
    assertThat(alone.get(0).positions()).hasSize(40);
    alone.forEach(r -> r.lease().close());

    f.trial(TestModels.tiny("tiny", "v2"), TrialMode.CANARY, 50);
    java.util.List<catdog.streaming.inference.ModelLeases.Routed> parts = f.slot.route(keys);
    assertThat(parts).hasSize(2);
    assertThat(parts.stream().mapToInt(r -> r.positions().length).sum()).isEqualTo(40);
    for (catdog.streaming.inference.ModelLeases.Routed part : parts) {
      for (int i : part.positions()) {
        try (ModelLease single = f.slot.acquire(keys.get(i)).orElseThrow()) {
          assertThat(single.canary()).as("route agrees with acquire(key) for " + keys.get(i)).isEqualTo(part.lease().canary());
        }
      }
      assertThat(part.lease().info().version()).isEqualTo(part.lease().canary() ? "v2" : "v1");
      part.lease().close();
    }
    assertThat(f.abort().trial()).isEmpty();
    assertThat(f.status().openSessions()).as("no lease left open").isEqualTo(1);
  }

  @Test
  void shouldPromoteTheCandidateToServing() {
    f.load(TestModels.tiny("tiny", "v1"));
    f.trial(TestModels.tiny("tiny", "v2"), TrialMode.CANARY, 10);
    ModelRegistry.ModelSwapped promoted = f.promote();
    assertThat(promoted.current().version()).isEqualTo("v2");
    assertThat(promoted.previous().orElseThrow().version()).isEqualTo("v1");
    assertThat(f.servingVersion()).isEqualTo("v2");
    assertThat(f.status().trial()).isEmpty();
    assertThat(f.slot.acquire("any").orElseThrow().canary()).isFalse();
  }

  @Test
  void shouldAbortTheTrialAndCloseTheCandidateOnceReleased() {
    f.load(TestModels.tiny("tiny", "v1"));
    f.trial(TestModels.tiny("tiny", "v2"), TrialMode.SHADOW, 0);
    ModelLease shadow = f.slot.acquireShadow().orElseThrow();
    assertThat(shadow.info().version()).isEqualTo("v2");
    assertThat(f.status().openSessions()).isEqualTo(2);

    Status aborted = f.abort();
    assertThat(aborted.trial()).isEmpty();
    assertThat(aborted.notice().orElseThrow()).contains("SHADOW of tiny@v2 aborted");
    assertThat(f.slot.acquireShadow()).isEmpty();
    assertThat(f.status().openSessions()).isEqualTo(2);
    shadow.close();
    assertThat(f.status().openSessions()).isEqualTo(1);
    assertThat(f.servingVersion()).isEqualTo("v1");
  }

  @Test
  void shouldReportTheShadowAgreementRate() {
    f.load(TestModels.tiny("tiny", "v1"));
    f.trial(TestModels.tiny("tiny", "v2"), TrialMode.SHADOW, 0);
    assertThat(f.slot.acquire("k").orElseThrow().canary()).as("a shadow takes no live traffic").isFalse();
    try (ModelLease shadow = f.slot.acquireShadow().orElseThrow()) {
      shadow.recordAgreement(true);
      shadow.recordAgreement(true);
      shadow.recordAgreement(true);
      shadow.recordAgreement(false);
    }
    assertThat(f.status().trial().orElseThrow().agreementRate()).isEqualTo(0.75);
    assertThat(f.status().trial().orElseThrow().compared()).isEqualTo(4);
    assertThat(f.metric("catdog_shadow_agreement_ratio")).isEqualTo(0.75);
  }

  @Test
  void shouldRefuseABadCandidateAndKeepServing() {
    f.load(TestModels.tiny("tiny", "v1"));
    assertThat(f.trialError(TestModels.failingWarmUp("x"), TrialMode.CANARY, 50)).contains("warm-up failed");
    assertThat(f.trialError(TestModels.tiny("tiny", "v1"), TrialMode.CANARY, 50)).contains("already serving");
    assertThat(f.status().trial()).isEmpty();
    assertThat(f.slot.acquire("k").orElseThrow().info().version()).isEqualTo("v1");
    assertThat(f.metric("catdog_model_refusals")).isEqualTo(2.0);
  }
}
