package catdog.cli.produce;

import java.util.Optional;

/**
 * One image to publish, read into memory once so that --loop and load tests never touch the disk again.
 *
 * @param id the event id: the path relative to the scanned folder, e.g. {@code cat.12.jpg} or {@code dog/12.jpg}
 * @param bytes the encoded image
 * @param contentType image/jpeg, image/png, or empty to let the service sniff it
 * @param knownLabel the class index when the name or folder says it
 */
public record ImageFile(String id, byte[] bytes, String contentType, Optional<Integer> knownLabel) {}
