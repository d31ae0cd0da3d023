package catdog.streaming.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.japi.Pair;
import akka.stream.Materializer;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Keep;
import akka.stream.testkit.TestPublisher;
import akka.stream.testkit.TestSubscriber;
import akka.stream.testkit.javadsl.StreamTestKit;
import akka.stream.testkit.javadsl.TestSink;
import akka.stream.testkit.javadsl.TestSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import scala.concurrent.duration.FiniteDuration;

class BatcherTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final FiniteDuration WAIT = FiniteDuration.create(5, TimeUnit.SECONDS);
  private final Materializer materializer = Materializer.matFromSystem(testKit.system());

  @AfterEach
  void allStagesStopped() {
    StreamTestKit.assertAllStagesStopped(materializer);
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private Pair<TestPublisher.Probe<Integer>, TestSubscriber.Probe<List<Integer>>> probes(int maxSize, Duration maxDelay) {
    return TestSource.<Integer>probe(testKit.system().classicSystem())
        .via(Flow.fromGraph(new Batcher<Integer>(maxSize, maxDelay)))
        .toMat(TestSink.probe(testKit.system().classicSystem()), Keep.both())
        .run(materializer);
  }

  @Test
  void shouldEmitAFullBatchWithoutWaitingForTheDelay() {
    var p = probes(3, Duration.ofHours(1));
    p.second().request(1);
    p.first().sendNext(1).sendNext(2).sendNext(3);
    assertThat(p.second().expectNext(WAIT)).containsExactly(1, 2, 3);
    p.first().sendComplete();
    p.second().expectComplete();
  }

  @Test
  void shouldEmitAPartialBatchOnceItsFirstElementWaitedTheDelay() {
    var p = probes(100, Duration.ofNanos(300_000));
    p.second().request(2);
    p.first().sendNext(1).sendNext(2);
    assertThat(p.second().expectNext(WAIT)).containsExactly(1, 2);
    p.first().sendNext(3);
    assertThat(p.second().expectNext(WAIT)).containsExactly(3);
    p.first().sendComplete();
    p.second().expectComplete();
  }

  @Test
  void shouldKeepFillingWhileDownstreamIsBusyButNeverBeyondMaxSize() {
    var p = probes(2, Duration.ofNanos(100_000));
    // No demand: the delay passes, the batch fills to its limit and the third element waits its turn.
    p.first().sendNext(1).sendNext(2).sendNext(3);
    p.second().request(1);
    assertThat(p.second().expectNext(WAIT)).containsExactly(1, 2);
    p.first().sendComplete();
    p.second().request(1);
    assertThat(p.second().expectNext(WAIT)).containsExactly(3);
    p.second().expectComplete();
  }

  @Test
  void shouldFlushThePartialBatchWhenUpstreamCompletes() {
    var p = probes(10, Duration.ofHours(1));
    p.first().sendNext(7);
    p.first().sendComplete();
    p.second().request(1);
    assertThat(p.second().expectNext(WAIT)).containsExactly(7);
    p.second().expectComplete();
  }

  @Test
  void shouldRefuseANonPositiveDelay() {
    assertThatThrownBy(() -> new Batcher<Integer>(4, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }
}
