package catdog.cli.produce;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * What a publishing run did.
 *
 * @param records events the broker acknowledged
 * @param bytes image bytes in those events
 * @param failed events the producer could not deliver
 * @param firstError the first delivery error, if any
 * @param elapsed from the first send until the last acknowledgement
 */
public record PublishSummary(long records, long bytes, long failed, Optional<String> firstError, Duration elapsed) {
  public double recordsPerSecond() {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds > 0 ? records / seconds : 0;
  }

  public String describe() {
    double seconds = elapsed.toNanos() / 1e9;
    String line = String.format(Locale.ROOT, "produced %d records, %.1f MB in %.1f s: %.1f records/s, %.2f MB/s",
        records, bytes / 1e6, seconds, recordsPerSecond(), seconds > 0 ? bytes / 1e6 / seconds : 0);
    return failed == 0 ? line : line + String.format(Locale.ROOT, "; %d FAILED (%s)", failed, firstError.orElse("?"));
  }
}
