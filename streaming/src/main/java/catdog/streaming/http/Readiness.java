package catdog.streaming.http;

import java.util.List;

/** Whether the service can take traffic now, and if not, every reason why not. */
@FunctionalInterface
public interface Readiness {
  /** Empty when ready; otherwise what is missing, e.g. "no model loaded", "no partitions assigned". */
  List<String> missing();
}
