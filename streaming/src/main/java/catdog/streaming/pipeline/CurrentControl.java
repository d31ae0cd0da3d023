package catdog.streaming.pipeline;

import akka.Done;
import akka.kafka.javadsl.Consumer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * The control of whichever Kafka source the restart wrapper runs now. Once stopped, a source started by a
 * later restart is stopped at once, so a drain never races a restart into reading more.
 */
final class CurrentControl implements Consumer.Control {
  private final AtomicReference<Consumer.Control> current = new AtomicReference<>(Consumer.createNoopControl());
  private volatile boolean stopping;

  void set(Consumer.Control control) {
    current.set(control);
    if (stopping) {
      control.stop();
    }
  }

  @Override
  public CompletionStage<Done> stop() {
    stopping = true;
    return current.get().stop();
  }

  @Override
  public CompletionStage<Done> shutdown() {
    stopping = true;
    return current.get().shutdown();
  }

  @Override
  public <T> CompletionStage<T> drainAndShutdown(CompletionStage<T> streamCompletion, Executor ec) {
    CompletableFuture<T> result = new CompletableFuture<>();
    stop().whenCompleteAsync((stopped, stopError) -> streamCompletion.whenCompleteAsync((value, streamError) ->
        shutdown().whenCompleteAsync((down, shutdownError) -> {
          Throwable error = streamError != null ? streamError : shutdownError;
          if (error != null) {
            result.completeExceptionally(error);
          } else {
            result.complete(value);
          }
        }, ec), ec), ec);
    return result;
  }

  @Override
  public CompletionStage<Done> isShutdown() {
    return current.get().isShutdown();
  }

  @Override
  public CompletionStage<Map<MetricName, Metric>> getMetrics() {
    return current.get().getMetrics();
  }
}
