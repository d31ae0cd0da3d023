package catdog.streaming.admin;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import catdog.streaming.admin.ModelRegistry.ModelSwapped;
import catdog.streaming.admin.ModelRegistry.Status;
import catdog.streaming.inference.BatchResult;
import catdog.streaming.inference.InferenceSettings;
import catdog.streaming.inference.ModelLease;
import catdog.streaming.inference.OnnxModel;
import catdog.streaming.testing.TestModels;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModelRegistryTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final InferenceSettings SETTINGS = InferenceSettings.defaults().withBatchCapacity(2);

  private ServingSlot slot;
  private ActorRef<ModelRegistry.Command> registry;

  @BeforeEach
  void start() {
    slot = new ServingSlot();
    registry = testKit.spawn(ModelRegistry.create(SETTINGS, slot));
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void shouldServeNothingUntilAModelIsLoaded() {
    assertThat(slot.acquire()).isEmpty();
    assertThat(status().current()).isEmpty();

    ModelSwapped swapped = load(TestModels.tiny("tiny", "v1"));

    assertThat(swapped.current().id()).isEqualTo("tiny@v1");
    assertThat(swapped.previous()).isEmpty();
    assertThat(servingVersion()).isEqualTo("v1");
    Status status = status();
    assertThat(status.current().orElseThrow().info()).isEqualTo(swapped.current());
    assertThat(status.current().orElseThrow().provider()).isEqualTo("CPU");
    assertThat(status.previous()).isEmpty();
    assertThat(status.trial()).isEmpty();
    assertThat(status.openSessions()).isEqualTo(1);
  }

  @Test
  void shouldLoadFromAFile(@org.junit.jupiter.api.io.TempDir Path dir) {
    Path file = TestModels.write(dir, "m.onnx", TestModels.tiny("tiny", "file"));
    TestProbe<StatusReply<ModelSwapped>> probe = testKit.createTestProbe();
    registry.tell(new ModelRegistry.LoadModel(new ModelSource.File(file), probe.ref()));
    assertThat(probe.receiveMessage().getValue().current().version()).isEqualTo("file");
  }

  @Test
  void shouldRefuseEachKindOfBadModelAndKeepServing() {
    load(TestModels.tiny("tiny", "v1"));
    Map<String, byte[]> bad = Map.of(
        "not a loadable ONNX model", TestModels.corrupt(),
        "metadata has no catdog.name", TestModels.withoutMetadata(),
        "inputs are [input]", TestModels.wrongInputName("x"),
        "has shape [N, 3, 16, 16]", TestModels.wrongInputShape("x"),
        "metadata has 3 labels", TestModels.wrongLabelCount("x"),
        "warm-up failed", TestModels.failingWarmUp("x"),
        "a new input format needs a restart", TestModels.seedShaped("catdog", "big", 1));
    bad.forEach((reason, onnx) -> {
      assertThat(loadError(onnx)).contains(reason);
      assertThat(servingVersion()).isEqualTo("v1");
    });
    assertThat(status().openSessions()).isEqualTo(1);
  }

  @Test
  void shouldKeepARetiredSessionOpenUntilItsLastLeaseIsReleased() {
    load(TestModels.tiny("tiny", "v1"));
    ModelLease inFlight = slot.acquire().orElseThrow();
    load(TestModels.tiny("tiny", "v2"));
    load(TestModels.tiny("tiny", "v3"));

    // v1 is neither current nor previous any more, but a batch still holds it.
    assertThat(status().openSessions()).isEqualTo(3);
    assertThat(inFlight.run(new float[192], 1)).isInstanceOf(BatchResult.Scored.class);
    assertThat(servingVersion()).isEqualTo("v3");

    inFlight.close();
    inFlight.close();
    assertThat(status().openSessions()).isEqualTo(2);
  }

  @Test
  void shouldRollBackToThePreviousModelAndForward() {
    assertThat(rollbackError()).contains("nothing to roll back to");
    load(TestModels.tiny("tiny", "v1"));
    assertThat(rollbackError()).contains("no previous model");
    load(TestModels.tiny("tiny", "v2"));

    ModelSwapped back = rollback();
    assertThat(back.current().version()).isEqualTo("v1");
    assertThat(back.previous().orElseThrow().version()).isEqualTo("v2");
    assertThat(servingVersion()).isEqualTo("v1");

    assertThat(rollback().current().version()).isEqualTo("v2");
    assertThat(servingVersion()).isEqualTo("v2");
    assertThat(status().openSessions()).isEqualTo(2);
  }

  @Test
  void shouldRefuseASecondSwapWhileOneIsLoading(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    load(TestModels.tiny("tiny", "v1"));
    // The first load reads a named pipe, so it stays in progress until the test writes the model into it:
    // the second request is certain to arrive while the first is loading, however busy the machine is.
    Path pipe = dir.resolve("slow.onnx");
    assertThat(new ProcessBuilder("mkfifo", pipe.toString()).start().waitFor()).isZero();
    TestProbe<StatusReply<ModelSwapped>> first = testKit.createTestProbe();
    TestProbe<StatusReply<ModelSwapped>> second = testKit.createTestProbe();
    registry.tell(new ModelRegistry.LoadModel(new ModelSource.File(pipe), first.ref()));
    registry.tell(new ModelRegistry.LoadModel(new ModelSource.Bytes(TestModels.tiny("tiny", "v3"), "second"), second.ref()));

    assertThat(second.receiveMessage().getError().getMessage()).contains(pipe.toString()).contains("is still loading");
    first.expectNoMessage(java.time.Duration.ofMillis(100));
    java.nio.file.Files.write(pipe, TestModels.tiny("tiny", "v2"));
    assertThat(first.receiveMessage().getValue().current().version()).isEqualTo("v2");
    assertThat(servingVersion()).isEqualTo("v2");
    assertThat(load(TestModels.tiny("tiny", "v3")).current().version()).isEqualTo("v3");
  }

  @Test
  void shouldNotSwapWhenTheServingVersionIsLoadedAgain() {
    load(TestModels.tiny("tiny", "v1"));
    load(TestModels.tiny("tiny", "v2"));
    ModelSwapped again = load(TestModels.tiny("tiny", "v2"));
    assertThat(again.current().version()).isEqualTo("v2");
    assertThat(again.previous().orElseThrow().version()).isEqualTo("v1");
    assertThat(status().openSessions()).isEqualTo(2);
  }

  @Test
  void shouldCloseEverySessionWhenStoppedOnceLeasesAreReleased() {
    int before = OnnxModel.openSessions();
    load(TestModels.tiny("tiny", "v1"));
    load(TestModels.tiny("tiny", "v2"));
    ModelLease inFlight = slot.acquire().orElseThrow();
    testKit.stop(registry);

    assertThat(slot.acquire()).isEmpty();
    assertThat(OnnxModel.openSessions()).isEqualTo(before + 1);
    inFlight.close();
    assertThat(OnnxModel.openSessions()).isEqualTo(before);
  }

  private ModelSwapped load(byte[] onnx) {
    StatusReply<ModelSwapped> reply = loadReply(onnx);
    assertThat(reply.isSuccess()).as("load succeeded: %s", reply).isTrue();
    return reply.getValue();
  }

  private String loadError(byte[] onnx) {
    StatusReply<ModelSwapped> reply = loadReply(onnx);
    assertThat(reply.isError()).as("load refused: %s", reply).isTrue();
    return reply.getError().getMessage();
  }

  private StatusReply<ModelSwapped> loadReply(byte[] onnx) {
    TestProbe<StatusReply<ModelSwapped>> probe = testKit.createTestProbe();
    registry.tell(new ModelRegistry.LoadModel(new ModelSource.Bytes(onnx, "test"), probe.ref()));
    return probe.receiveMessage();
  }

  private ModelSwapped rollback() {
    TestProbe<StatusReply<ModelSwapped>> probe = testKit.createTestProbe();
    registry.tell(new ModelRegistry.Rollback(probe.ref()));
    return probe.receiveMessage().getValue();
  }

  private String rollbackError() {
    TestProbe<StatusReply<ModelSwapped>> probe = testKit.createTestProbe();
    registry.tell(new ModelRegistry.Rollback(probe.ref()));
    return probe.receiveMessage().getError().getMessage();
  }

  private Status status() {
    TestProbe<Status> probe = testKit.createTestProbe();
    registry.tell(new ModelRegistry.GetStatus(probe.ref()));
    return probe.receiveMessage();
  }

  private String servingVersion() {
    try (ModelLease lease = slot.acquire().orElseThrow()) {
      return lease.info().version();
    }
  }
}
