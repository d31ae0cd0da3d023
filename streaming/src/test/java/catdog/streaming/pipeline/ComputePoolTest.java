package catdog.streaming.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ComputePoolTest {
  @Test
  void shouldRunWaitingScoringBeforeWaitingDecodingAndEachInArrivalOrder() throws Exception {
    try (ComputePool pool = new ComputePool(1, "test-compute")) {
      CountDownLatch busy = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      pool.decoding().execute(() -> {
        busy.countDown();
        await(release);
      });
      assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
      List<String> order = new CopyOnWriteArrayList<>();
      CompletableFuture<Void> decode1 = CompletableFuture.runAsync(() -> order.add("decode 1"), pool.decoding());
      CompletableFuture<Void> decode2 = CompletableFuture.runAsync(() -> order.add("decode 2"), pool.decoding());
      CompletableFuture<Void> score1 = CompletableFuture.runAsync(() -> order.add("score 1"), pool.scoring());
      CompletableFuture<Void> score2 = CompletableFuture.runAsync(() -> order.add("score 2"), pool.scoring());
      release.countDown();
      CompletableFuture.allOf(decode1, decode2, score1, score2).get(10, TimeUnit.SECONDS);
      assertThat(order).containsExactly("score 1", "score 2", "decode 1", "decode 2");
    }
  }

  @Test
  void shouldRunOnAsManyThreadsAsAsked() throws Exception {
    try (ComputePool pool = new ComputePool(3, "test-compute")) {
      CountDownLatch allRunning = new CountDownLatch(3);
      CountDownLatch release = new CountDownLatch(1);
      for (int i = 0; i < 3; i++) {
        pool.decoding().execute(() -> {
          allRunning.countDown();
          await(release);
        });
      }
      assertThat(allRunning.await(10, TimeUnit.SECONDS)).as("three tasks at once on three threads").isTrue();
      assertThat(pool.threads()).isEqualTo(3);
      release.countDown();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
