package catdog.streaming.pipeline;

import catdog.streaming.inference.ImageLimits;
import catdog.streaming.inference.ImagePreprocessor;
import catdog.streaming.inference.Preprocessed;
import catdog.streaming.inference.Preprocessing;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Parses a record and decodes its image straight into a batch's input, preprocessed as the model about to
 * score the batch asks. Runs on the compute threads, one batch each; it holds no lock and shares only the
 * cached preprocessor.
 */
final class Decoder {
  private final InputParser parser;
  private final ImageLimits limits;
  private final PipelineMetrics metrics;
  private final AtomicReference<ImagePreprocessor> cached = new AtomicReference<>();

  Decoder(InputParser parser, ImageLimits limits, PipelineMetrics metrics) {
    this.parser = parser;
    this.limits = limits;
    this.metrics = metrics;
  }

  /** Writes the record's tensor into {@code batchInput} from {@code offset}, or says why it cannot. */
  <P> Work<P> decodeInto(Incoming<P> in, Preprocessing preprocessing, float[] batchInput, int offset) {
    InputParser.Parsed parsed = parser.parse(in.record());
    if (parsed instanceof InputParser.Parsed.Rejected rejected) {
      return new Work.Refused<>(in, rejected.kind(), rejected.reason());
    }
    ImageInput input = ((InputParser.Parsed.Image) parsed).input();
    long start = System.nanoTime();
    Preprocessed result = preprocessor(preprocessing).preprocessInto(input.image(), batchInput, offset);
    metrics.decodeSeconds.observe((System.nanoTime() - start) / 1e9);
    if (result instanceof Preprocessed.Refused refused) {
      return new Work.Refused<>(in, refused.kind().name(), refused.reason());
    }
    return new Work.Ready<>(in, input);
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
}
