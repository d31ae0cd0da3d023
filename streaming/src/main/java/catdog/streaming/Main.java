package catdog.streaming;

import com.typesafe.config.ConfigFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the service until SIGTERM (or until its pipeline fails for good). Configuration comes from
 * application.conf, {@code -Dconfig.file=...}, {@code -Dcatdog.x=y} and the environment. Once serving it
 * prints one line, {@code catdog serving http-port=<port> model=<name@version>}, for scripts and tests.
 * Exit codes: 0 after a drain, 1 when the pipeline failed, 2 when it could not start.
 */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    CatdogService service;
    try {
      service = CatdogService.start(ConfigFactory.load());
    } catch (RuntimeException e) {
      log.error("catdog could not start: {}", e.getMessage());
      System.err.println("catdog: " + e.getMessage());
      System.exit(2);
      return;
    }
    System.out.println("catdog serving http-port=" + service.httpPort() + " model=" + service.modelId());
    System.out.flush();
    service.whenTerminated().toCompletableFuture().join();
    if (service.failed()) {
      System.exit(1);
    }
  }
}
