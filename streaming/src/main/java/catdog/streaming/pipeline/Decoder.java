package catdog.streaming.pipeline;

import catdog.streaming.inference.ImageLimits;
import catdog.streaming.inference.ImagePreprocessor;
import catdog.streaming.inference.ModelLease;
import catdog.streaming.inference.ModelLeases;
import catdog.streaming.inference.Preprocessed;
import catdog.streaming.inference.Preprocessing;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Parses a record and turns its image into the tensor the serving model asks for. Runs on the decode
 * pool, many records at once; it holds no lock and shares only the cached preprocessor.
 */
final class Decoder {
  private final InputParser parser;
  private final ModelLeases leases;
  private final ImageLimits limits;
  private final PipelineMetrics metrics;
  private final TensorPool tensors;
  private final AtomicReference<ImagePreprocessor> cached = new AtomicReference<>();

  Decoder(InputParser parser, ModelLeases leases, ImageLimits limits, PipelineMetrics metrics, TensorPool tensors) {
    this.parser = parser;
    this.leases = leases;
    this.limits = limits;
    this.metrics = metrics;
    this.tensors = tensors;
  }

  <P> Work<P> decode(Incoming<P> in) {
    InputParser.Parsed parsed = parser.parse(in.record());
    if (parsed instanceof InputParser.Parsed.Rejected rejected) {
      return new Work.Refused<>(in, rejected.kind(), rejected.reason());
    }
    ImageInput input = ((InputParser.Parsed.Image) parsed).input();
    ImagePreprocessor preprocessor = preprocessor(servingPreprocessing());
    long start = System.nanoTime();
    float[] tensor = tensors.take(preprocessor.preprocessing().tensorSize());
    Preprocessed result = preprocessor.preprocessInto(input.image(), tensor);
    if (result instanceof Preprocessed.Refused refused) {
      tensors.give(tensor);
      metrics.decodeSeconds.observe((System.nanoTime() - start) / 1e9);
      return new Work.Refused<>(in, refused.kind().name(), refused.reason());
    }
    long end = System.nanoTime();
    metrics.decodeSeconds.observe((end - start) / 1e9);
    return new Work.Ready<>(in, input, tensor, preprocessor.preprocessing(), end);
  }

  /** Takes back a tensor once it has been copied into its batch. */
  void release(float[] tensor) {
    tensors.give(tensor);
  }

  /** Preprocesses again for a model that needs another input than the one the tensor was made for. */
  Preprocessed redo(ImageInput input, Preprocessing preprocessing) {
    return preprocessor(preprocessing).apply(input.image());
  }

  private ImagePreprocessor preprocessor(Preprocessing preprocessing) {
    ImagePreprocessor current = cached.get();
    if (current != null && current.preprocessing().equals(preprocessing)) {
      return current;
    }
    ImagePreprocessor fresh = new ImagePreprocessor(preprocessing, limits);
    cached.set(fresh);
    return fresh;
  }

  private Preprocessing servingPreprocessing() {
    // The pipeline starts only once a model is loaded and models are swapped, never unloaded, so an
    // empty lease here is a bug: throwing lets supervision restart the stream.
    try (ModelLease lease = leases.acquire().orElseThrow(() -> new IllegalStateException("no model is loaded"))) {
      return lease.info().preprocessing();
    }
  }
}
