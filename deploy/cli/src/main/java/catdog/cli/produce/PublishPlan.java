package catdog.cli.produce;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What to publish and how fast.
 *
 * @param images the images, in order
 * @param loop reuse the images once all were sent; ids then get a sequence number so each stays unique
 * @param count stop after this many events; empty means once through the images, or no limit with loop
 * @param duration stop after this long
 * @param rate events per second on an open-loop schedule; empty means as fast as the producer takes them
 * @param idPrefix put in front of every id, so that repeated load-test runs never share an id
 */
public record PublishPlan(List<ImageFile> images, boolean loop, OptionalLong count, Optional<Duration> duration,
    OptionalDouble rate, String idPrefix) {
  public PublishPlan {
    if (images.isEmpty()) {
      throw new IllegalArgumentException("no images to publish (jpg, jpeg or png)");
    }
    if (rate.isPresent() && !(rate.getAsDouble() > 0)) {
      throw new IllegalArgumentException("the rate must be positive, was " + rate.getAsDouble());
    }
    images = List.copyOf(images);
  }

  /** Every image once, as fast as possible. */
  public static PublishPlan once(List<ImageFile> images) {
    return new PublishPlan(images, false, OptionalLong.empty(), Optional.empty(), OptionalDouble.empty(), "");
  }

  /** How many events the plan sends, when that is known in advance. */
  public OptionalLong expected() {
    long bound = Long.MAX_VALUE;
    if (count.isPresent()) {
      bound = count.getAsLong();
    }
    if (!loop) {
      bound = Math.min(bound, images.size());
    }
    if (duration.isPresent() && rate.isPresent()) {
      bound = Math.min(bound, (long) Math.ceil(duration.get().toNanos() / 1e9 * rate.getAsDouble()));
    }
    return bound == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(bound);
  }
}
