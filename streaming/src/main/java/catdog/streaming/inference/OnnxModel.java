package catdog.streaming.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded ONNX model: the only place that talks to ONNX Runtime and catches {@link OrtException}.
 * Loading checks the graph against the contract in {@link ModelInfo} and never throws for a bad model.
 *
 * <p>{@link #run} is thread-safe (ONNX Runtime sessions are). Input tensors are built on direct buffers
 * taken from a small pool, one per concurrent caller, so the hot path allocates no tensor memory.
 * {@link #close()} must not overlap a {@code run()}: that crashes the JVM. In the service only the admin
 * actor's lease counting decides when to close.
 */
public final class OnnxModel implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OnnxModel.class);
  private static final AtomicInteger OPEN = new AtomicInteger();

  private final OrtEnvironment env;
  private final OrtSession session;
  private final ModelInfo info;
  private final String provider;
  private final int batchCapacity;
  private final ConcurrentLinkedQueue<FloatBuffer> buffers = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private OnnxModel(OrtEnvironment env, OrtSession session, ModelInfo info, String provider, int batchCapacity) {
    this.env = env;
    this.session = session;
    this.info = info;
    this.provider = provider;
    this.batchCapacity = batchCapacity;
  }

  /** The outcome of loading: a model that fits the contract, or the reason it was refused. */
  public sealed interface LoadResult {
    record Loaded(OnnxModel model) implements LoadResult {}

    record Refused(String reason) implements LoadResult {}
  }

  /** Reads and loads a model file. */
  public static LoadResult load(Path path, InferenceSettings settings) {
    try {
      return load(Files.readAllBytes(path), settings);
    } catch (IOException e) {
      return new LoadResult.Refused("cannot read " + path + ": " + e);
    }
  }

  /** Opens a session on the ONNX bytes and checks metadata, input and output against each other. */
  public static LoadResult load(byte[] onnx, InferenceSettings settings) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession session;
    String provider;
    try {
      SessionOptionsFactory.Configured configured = SessionOptionsFactory.create(settings);
      provider = configured.provider();
      try (OrtSession.SessionOptions options = configured.options()) {
        session = env.createSession(onnx, options);
      }
    } catch (OrtException e) {
      return new LoadResult.Refused("not a loadable ONNX model: " + e.getMessage());
    }
    OPEN.incrementAndGet();
    try {
      ModelInfo.Parsed parsed = ModelInfo.fromMetadata(session.getMetadata().getCustomMetadata());
      if (parsed instanceof ModelInfo.Parsed.Invalid invalid) {
        return refuseAndClose(session, "missing or invalid catdog metadata: " + invalid.reason());
      }
      ModelInfo info = ((ModelInfo.Parsed.Valid) parsed).info();
      Optional<String> mismatch = ModelSignature.mismatch(info, session.getInputInfo(), session.getOutputInfo());
      if (mismatch.isPresent()) {
        return refuseAndClose(session, info.id() + ": " + mismatch.get());
      }
      log.info("Loaded model {} ({} input, labels {}) on ONNX Runtime execution provider: {}", info.id(),
          info.preprocessing().shortForm(), info.labels(), provider);
      return new LoadResult.Loaded(new OnnxModel(env, session, info, provider, settings.batchCapacity()));
    } catch (OrtException e) {
      return refuseAndClose(session, "cannot read the model's metadata or signature: " + e.getMessage());
    }
  }

  public ModelInfo info() {
    return info;
  }

  /** The execution provider really in use, e.g. {@code CPU} or {@code CUDA device 0}. */
  public String provider() {
    return provider;
  }

  /** Sessions open in this JVM right now, for leak checks and a gauge. */
  public static int openSessions() {
    return OPEN.get();
  }

  /** Runs one all-zero batch of the configured capacity: the first run allocates and plans, not a user's batch. */
  public BatchResult warmUp() {
    return run(new float[batchCapacity * info.preprocessing().tensorSize()], batchCapacity);
  }

  /**
   * Scores the first {@code n} images of {@code batch}. A run that ONNX Runtime fails, or that returns other
   * than {@code n × labels} probabilities, is a {@link BatchResult.Failed}.
   */
  public BatchResult run(float[] batch, int n) {
    int size = info.preprocessing().tensorSize();
    if (n < 1 || batch.length < n * size) {
      throw new IllegalArgumentException("a batch of " + n + " needs " + n * size + " floats, had " + batch.length);
    }
    if (closed.get()) {
      return new BatchResult.Failed(info.id() + " is closed");
    }
    FloatBuffer input = borrow(n * size);
    try {
      input.clear();
      input.put(batch, 0, n * size).flip();
      Preprocessing p = info.preprocessing();
      try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, new long[] {n, p.channels(), p.height(), p.width()});
          OrtSession.Result result = session.run(Map.of(ModelInfo.INPUT, tensor), Set.of(ModelInfo.OUTPUT))) {
        return scored(result.get(ModelInfo.OUTPUT), n);
      }
    } catch (OrtException e) {
      return new BatchResult.Failed(info.id() + " failed a batch of " + n + ": " + e.getMessage());
    } finally {
      buffers.offer(input);
    }
  }

  private BatchResult scored(Optional<OnnxValue> value, int n) {
    int classes = info.labels().size();
    if (value.isEmpty() || !(value.get() instanceof OnnxTensor out)) {
      return new BatchResult.Failed(info.id() + " returned no '" + ModelInfo.OUTPUT + "' tensor");
    }
    long[] shape = out.getInfo().getShape();
    if (shape.length != 2 || shape[0] != n || shape[1] != classes) {
      return new BatchResult.Failed(info.id() + " returned " + java.util.Arrays.toString(shape) + " probabilities for a batch of "
          + n + " and " + classes + " labels");
    }
    FloatBuffer fb = out.getFloatBuffer();
    float[][] rows = new float[n][classes];
    for (float[] row : rows) {
      fb.get(row);
    }
    return new BatchResult.Scored(rows);
  }

  /** A pooled direct buffer of at least {@code floats}; grows the pool's buffers when a bigger batch comes. */
  private FloatBuffer borrow(int floats) {
    FloatBuffer b = buffers.poll();
    if (b != null && b.capacity() >= floats) {
      return b;
    }
    int capacity = Math.max(floats, batchCapacity * info.preprocessing().tensorSize());
    return ByteBuffer.allocateDirect(capacity * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  /** Closes the session once; later calls do nothing. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      closeSession(session, info.id());
    }
  }

  public boolean isClosed() {
    return closed.get();
  }

  @Override
  public String toString() {
    return info.id() + " on " + provider + (closed.get() ? " (closed)" : "");
  }

  private static LoadResult refuseAndClose(OrtSession session, String reason) {
    closeSession(session, "a refused model");
    return new LoadResult.Refused(reason);
  }

  private static void closeSession(OrtSession session, String what) {
    try {
      session.close();
    } catch (OrtException e) {
      log.warn("Closing the session of {} failed: {}", what, e.getMessage());
    } finally {
      OPEN.decrementAndGet();
    }
  }
}
