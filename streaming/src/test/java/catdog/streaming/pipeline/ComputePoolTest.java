package catdog.streaming.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ComputePoolTest {
  @Test
  void shouldRunOnAsManyThreadsAsAskedAndNoMore() throws Exception {
    try (ComputePool pool = new ComputePool(3, "test-compute")) {
      CountDownLatch allRunning = new CountDownLatch(3);
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch fourthRan = new CountDownLatch(1);
      Set<String> threads = ConcurrentHashMap.newKeySet();
      for (int i = 0; i < 3; i++) {
        pool.executor().execute(() -> {
          threads.add(Thread.currentThread().getName());
          allRunning.countDown();
          await(release);
        });
      }
      pool.executor().execute(fourthRan::countDown);
      assertThat(allRunning.await(10, TimeUnit.SECONDS)).as("three tasks at once on three threads").isTrue();
      assertThat(fourthRan.getCount()).as("a fourth task waits for a free thread").isEqualTo(1);
      release.countDown();
      assertThat(fourthRan.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(threads).containsExactlyInAnyOrder("test-compute-1", "test-compute-2", "test-compute-3");
      assertThat(pool.threads()).isEqualTo(3);
    }
  }

  @Test
  void shouldRefuseAPoolWithoutThreads() {
    assertThatThrownBy(() -> new ComputePool(0, "none")).isInstanceOf(IllegalArgumentException.class);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
