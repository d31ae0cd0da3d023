package catdog.streaming.pipeline;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.kafka.ProducerMessage;
import akka.pattern.StatusReply;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import catdog.protocol.ImageEvent;
import catdog.streaming.Settings;
import catdog.streaming.admin.ModelRegistry;
import catdog.streaming.admin.ModelSource;
import catdog.streaming.admin.ServingSlot;
import catdog.streaming.inference.InferenceSettings;
import com.google.protobuf.ByteString;
import com.typesafe.config.ConfigFactory;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Measures the pipeline without Kafka, for choosing the batching defaults: for each batch setting it prints
 * the saturated throughput (every image available at once) and the latency per image at half that rate.
 * Usage: {@code PipelineBenchmark <model.onnx> <image dir> [images per run]}. Figures depend on the machine;
 * the reasoning behind the defaults in reference.conf quotes one run.
 */
public final class PipelineBenchmark {
  private static final List<String[]> GRID = List.of(
      new String[] {"1", "0s"}, new String[] {"8", "0s"}, new String[] {"32", "0s"},
      new String[] {"32", "500us"}, new String[] {"8", "2ms"}, new String[] {"32", "5ms"}, new String[] {"32", "20ms"});

  private PipelineBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: PipelineBenchmark <model.onnx> <image dir> [images per run]");
      System.exit(2);
    }
    List<byte[]> images = load(Path.of(args[1]));
    int count = args.length > 2 ? Integer.parseInt(args[2]) : 600;
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bench");
    ComputePool pool = new ComputePool(Runtime.getRuntime().availableProcessors(), "bench-compute");
    try {
      ServingSlot slot = serve(system, Path.of(args[0]), InferenceSettings.defaults());
      System.out.printf("model %s, %d images per run, %d cores%n", slot.acquire().map(l -> {
        try (l) {
          return l.info().id();
        }
      }).orElse("?"), count, Runtime.getRuntime().availableProcessors());
      System.out.printf("%-9s %-9s %12s %10s %14s %10s %10s%n", "max-size", "max-delay", "saturated/s", "mean batch", "at rate/s", "p50 ms", "p99 ms");
      for (String[] setting : GRID) {
        Settings settings = Settings.fromConfig(ConfigFactory.parseMap(Map.of("catdog.batch.max-size", setting[0],
            "catdog.batch.max-delay", setting[1])).withFallback(ConfigFactory.load()).resolve());
        PipelineMetrics metrics = new PipelineMetrics(new PrometheusRegistry(), Optional::empty);
        InferencePipeline.Resources resources =
            new InferencePipeline.Resources(slot, metrics, new PartitionTracker(), pool.executor(), Clock.systemUTC());
        run(system, settings, resources, images, Math.min(64, count), 0); // warm-up
        double saturated = count / run(system, settings, resources, images, count, 0)[0];
        double meanBatch = metrics.batchSize.collect().getDataPoints().get(0).getSum()
            / metrics.batchSize.collect().getDataPoints().get(0).getCount();
        int rate = Math.max(1, (int) (saturated / 2));
        double[] paced = run(system, settings, resources, images, Math.min(count, rate * 5), rate);
        System.out.printf("%-9s %-9s %12.0f %10.1f %14d %10.1f %10.1f%n", setting[0], setting[1], saturated, meanBatch, rate, paced[1], paced[2]);
      }
    } finally {
      system.terminate();
      pool.close();
    }
  }

  /**
   * Images per second through the service's stream with {@code settings} (its compute pool, batching and
   * session settings) and no Kafka: every image is offered at once, as {@code ImageEvent} bytes like a
   * record's value, and the envelopes meant for the producer are dropped. One warm-up run of {@code n}, then
   * {@code runs} measured runs of {@code n}.
   */
  public static List<Double> saturated(Settings settings, InferenceSettings session, Path model, List<byte[]> images, int n,
      int runs) throws Exception {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "pipeline-bench");
    ComputePool pool = new ComputePool(settings.compute().threads(), "bench-compute");
    try {
      ServingSlot slot = serve(system, model, session);
      InferencePipeline.Resources resources = new InferencePipeline.Resources(slot,
          new PipelineMetrics(new PrometheusRegistry(), Optional::empty), new PartitionTracker(), pool.executor(),
          Clock.systemUTC());
      run(system, settings, resources, images, n, 0);
      List<Double> rates = new ArrayList<>(runs);
      for (int i = 0; i < runs; i++) {
        rates.add(n / run(system, settings, resources, images, n, 0)[0]);
      }
      return rates;
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(1, TimeUnit.MINUTES);
      pool.close();
    }
  }

  private static ServingSlot serve(ActorSystem<?> system, Path model, InferenceSettings session) throws Exception {
    ServingSlot slot = new ServingSlot();
    ActorRef<ModelRegistry.Command> registry = system.systemActorOf(ModelRegistry.create(session, slot), "models",
        akka.actor.typed.Props.empty());
    AskPattern.<ModelRegistry.Command, StatusReply<ModelRegistry.ModelSwapped>>ask(registry,
        r -> new ModelRegistry.LoadModel(new ModelSource.File(model), r), Duration.ofMinutes(2), system.scheduler())
        .toCompletableFuture().get().getValue();
    return slot;
  }

  /** Returns {seconds, p50 ms, p99 ms}; {@code rate} 0 offers everything at once. */
  private static double[] run(ActorSystem<?> system, Settings settings, InferencePipeline.Resources resources, List<byte[]> images,
      int n, int rate) throws Exception {
    long[] sent = new long[n];
    double[] latencies = new double[n];
    // Serialised before the clock starts, as a producer elsewhere would have done; records share the bytes.
    List<byte[]> values = new ArrayList<>(images.size());
    for (int i = 0; i < images.size(); i++) {
      values.add(ImageEvent.newBuilder().setId("bench-" + i).setImage(ByteString.copyFrom(images.get(i))).build().toByteArray());
    }
    Source<Incoming<Long>, ?> source = Source.range(0, n - 1)
        .map(i -> new Incoming<>(new ConsumerRecord<byte[], byte[]>("bench", 0, i, null, values.get(i % values.size())), (long) i));
    if (rate > 0) {
      source = source.throttle(rate, Duration.ofSeconds(1));
    }
    long start = System.nanoTime();
    source.map(in -> {
      sent[(int) (long) in.offset()] = System.nanoTime();
      return in;
    }).via(InferencePipeline.<Long>flow(settings, resources)).runWith(Sink.foreach((ProducerMessage.Envelope<byte[], byte[], Long> e) -> {
      int i = (int) (long) e.passThrough();
      latencies[i] = (System.nanoTime() - sent[i]) / 1e6;
    }), system).toCompletableFuture().get(10, TimeUnit.MINUTES);
    double seconds = (System.nanoTime() - start) / 1e9;
    Arrays.sort(latencies);
    return new double[] {seconds, latencies[n / 2], latencies[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)]};
  }

  private static List<byte[]> load(Path dir) throws IOException {
    List<byte[]> images = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(200).toList()) {
        images.add(Files.readAllBytes(f));
      }
    }
    if (images.isEmpty()) {
      throw new IllegalArgumentException("no .jpg images in " + dir);
    }
    return images;
  }
}
