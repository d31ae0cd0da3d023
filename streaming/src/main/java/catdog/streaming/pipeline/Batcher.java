package catdog.streaming.pipeline;

import akka.stream.Attributes;
import akka.stream.FlowShape;
import akka.stream.Inlet;
import akka.stream.Outlet;
import akka.stream.stage.AbstractInHandler;
import akka.stream.stage.AbstractOutHandler;
import akka.stream.stage.AsyncCallback;
import akka.stream.stage.GraphStage;
import akka.stream.stage.GraphStageLogic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Groups elements into batches of at most {@code maxSize}, emitting a batch when it is full or when its
 * first element has waited {@code maxDelay}, whichever comes first; while downstream is busy the batch keeps
 * filling up to {@code maxSize}, and a full batch stops pulling (back-pressure). Akka's own {@code
 * groupedWithin} does the same on the actor scheduler, whose timers tick every 10 ms; this one times the
 * delay on a nanosecond-resolution executor, so a delay of a few hundred microseconds means what it says.
 */
final class Batcher<T> extends GraphStage<FlowShape<T, List<T>>> {
  /** One daemon thread for every batcher's deadlines: each fires once per batch, and only posts a callback. */
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "catdog-batch-timer");
    t.setDaemon(true);
    return t;
  });

  private final int maxSize;
  private final long maxDelayNanos;
  private final Inlet<T> in = Inlet.create("Batcher.in");
  private final Outlet<List<T>> out = Outlet.create("Batcher.out");
  private final FlowShape<T, List<T>> shape = FlowShape.of(in, out);

  Batcher(int maxSize, Duration maxDelay) {
    if (maxSize < 1 || maxDelay.isNegative() || maxDelay.isZero()) {
      throw new IllegalArgumentException("a batcher needs max size ≥ 1 and a positive max delay");
    }
    this.maxSize = maxSize;
    this.maxDelayNanos = maxDelay.toNanos();
  }

  @Override
  public FlowShape<T, List<T>> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new GraphStageLogic(shape) {
      private List<T> batch = new ArrayList<>();
      private boolean due;
      private long generation;
      private ScheduledFuture<?> deadline;
      private AsyncCallback<Long> expired;

      @Override
      public void preStart() {
        expired = createAsyncCallback(gen -> {
          if (gen == generation) {
            due = true;
            emitIfReady();
          }
        });
        pull(in);
      }

      @Override
      public void postStop() {
        cancelDeadline();
      }

      {
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() {
            batch.add(grab(in));
            if (batch.size() == 1) {
              long gen = generation;
              deadline = TIMER.schedule(() -> expired.invoke(gen), maxDelayNanos, TimeUnit.NANOSECONDS);
            }
            if (batch.size() >= maxSize) {
              due = true;
            }
            emitIfReady();
            pullIfRoom();
          }

          @Override
          public void onUpstreamFinish() {
            if (batch.isEmpty()) {
              completeStage();
            } else {
              due = true;
              emitIfReady();
            }
          }
        });
        setHandler(out, new AbstractOutHandler() {
          @Override
          public void onPull() {
            emitIfReady();
            pullIfRoom();
          }
        });
      }

      private void emitIfReady() {
        if (due && !batch.isEmpty() && isAvailable(out)) {
          List<T> full = batch;
          batch = new ArrayList<>(Math.min(maxSize, 64));
          due = false;
          generation++;
          cancelDeadline();
          push(out, full);
          if (isClosed(in)) {
            completeStage();
          }
        }
      }

      private void pullIfRoom() {
        if (batch.size() < maxSize && !hasBeenPulled(in) && !isClosed(in)) {
          pull(in);
        }
      }

      private void cancelDeadline() {
        if (deadline != null) {
          deadline.cancel(false);
          deadline = null;
        }
      }
    };
  }
}
