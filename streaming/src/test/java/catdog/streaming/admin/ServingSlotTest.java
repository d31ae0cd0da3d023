package catdog.streaming.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import catdog.streaming.inference.BatchResult;
import catdog.streaming.inference.InferenceSettings;
import catdog.streaming.inference.ModelLease;
import catdog.streaming.inference.OnnxModel;
import catdog.streaming.testing.TestModels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ServingSlotTest {
  private static final InferenceSettings SETTINGS = InferenceSettings.defaults().withBatchCapacity(2);

  @Test
  void shouldNeverRunABatchOnAClosedSessionWhileSwapping() throws Exception {
    int before = OnnxModel.openSessions();
    ServingSlot slot = new ServingSlot();
    AtomicInteger open = new AtomicInteger();
    List<ModelHandle> handles = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      OnnxModel model = ((OnnxModel.LoadResult.Loaded) OnnxModel.load(TestModels.tiny("tiny", "v" + i), SETTINGS)).model();
      open.incrementAndGet();
      handles.add(new ModelHandle(model, new ModelLoader.Measures(Optional.empty(), 0), open::decrementAndGet));
    }
    slot.publish(Optional.of(handles.get(0)), Optional.empty());
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong batches = new AtomicLong();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < 3; w++) {
      workers.add(pool.submit(() -> {
        while (!stop.get()) {
          try (ModelLease lease = slot.acquire().orElseThrow()) {
            if (lease.run(new float[2 * 192], 2) instanceof BatchResult.Failed f) {
              failures.add(f.reason());
            }
          }
          batches.incrementAndGet();
        }
      }));
    }
    for (int i = 1; i < handles.size(); i++) {
      long seen = batches.get();
      await().atMost(Duration.ofSeconds(10)).until(() -> batches.get() > seen + 5);
      slot.publish(Optional.of(handles.get(i)), Optional.empty());
      handles.get(i - 1).retire();
    }
    stop.set(true);
    for (Future<?> f : workers) {
      f.get();
    }
    pool.shutdown();

    assertThat(failures).isEmpty();
    assertThat(open.get()).isEqualTo(1);
    assertThat(handles.subList(0, 19)).allSatisfy(h -> assertThat(h.model().isClosed()).isTrue());
    slot.clear();
    handles.get(19).retire();
    assertThat(OnnxModel.openSessions()).isEqualTo(before);
  }
}
