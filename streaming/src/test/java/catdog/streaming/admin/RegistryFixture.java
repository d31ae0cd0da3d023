package catdog.streaming.admin;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import catdog.streaming.admin.ModelRegistry.ModelSwapped;
import catdog.streaming.admin.ModelRegistry.Status;
import catdog.streaming.inference.InferenceSettings;
import catdog.streaming.inference.ModelLease;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.Function;

/** A registry spawned in a test kit, with one-line helpers that send a command and wait for its reply. */
final class RegistryFixture {
  static final InferenceSettings INFERENCE = InferenceSettings.defaults().withBatchCapacity(2);

  final ServingSlot slot = new ServingSlot();
  final PrometheusRegistry metrics = new PrometheusRegistry();
  final ActorRef<ModelRegistry.Command> registry;
  private final ActorTestKit testKit;

  RegistryFixture(ActorTestKit testKit, AdminSettings admin) {
    this.testKit = testKit;
    this.registry = testKit.spawn(ModelRegistry.create(admin, INFERENCE, slot, metrics));
  }

  ModelSwapped load(byte[] onnx) {
    return ok(this.<ModelRegistry.ModelSwapped>ask(r -> new ModelRegistry.LoadModel(new ModelSource.Bytes(onnx, "test"), r)));
  }

  String loadError(byte[] onnx) {
    return error(this.<ModelRegistry.ModelSwapped>ask(r -> new ModelRegistry.LoadModel(new ModelSource.Bytes(onnx, "test"), r)));
  }

  Status trial(byte[] onnx, TrialMode mode, double percent) {
    return ok(this.<Status>ask(r -> new ModelRegistry.StartTrial(new ModelSource.Bytes(onnx, "candidate"), mode, percent, r)));
  }

  String trialError(byte[] onnx, TrialMode mode, double percent) {
    return error(this.<Status>ask(r -> new ModelRegistry.StartTrial(new ModelSource.Bytes(onnx, "candidate"), mode, percent, r)));
  }

  ModelSwapped promote() {
    return ok(this.<ModelRegistry.ModelSwapped>ask(ModelRegistry.Promote::new));
  }

  Status abort() {
    return ok(this.<Status>ask(ModelRegistry.AbortTrial::new));
  }

  Status status() {
    TestProbe<Status> probe = testKit.createTestProbe();
    registry.tell(new ModelRegistry.GetStatus(probe.ref()));
    return probe.receiveMessage();
  }

  String servingVersion() {
    try (ModelLease lease = slot.acquire().orElseThrow()) {
      return lease.info().version();
    }
  }

  double metric(String name) {
    return metrics.scrape().stream().filter(m -> m.getMetadata().getPrometheusName().equals(name)).findFirst()
        .map(m -> m.getDataPoints().stream().mapToDouble(RegistryFixture::value).sum()).orElse(Double.NaN);
  }

  private static double value(io.prometheus.metrics.model.snapshots.DataPointSnapshot p) {
    if (p instanceof io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot c) {
      return c.getValue();
    }
    return ((io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot) p).getValue();
  }

  private <T> StatusReply<T> ask(Function<ActorRef<StatusReply<T>>, ModelRegistry.Command> message) {
    TestProbe<StatusReply<T>> probe = testKit.createTestProbe();
    registry.tell(message.apply(probe.ref()));
    return probe.receiveMessage();
  }

  private static <T> T ok(StatusReply<T> reply) {
    assertThat(reply.isSuccess()).as("succeeded: %s", reply).isTrue();
    return reply.getValue();
  }

  private static String error(StatusReply<?> reply) {
    assertThat(reply.isError()).as("refused: %s", reply).isTrue();
    return reply.getError().getMessage();
  }
}
