package catdog.cli.support;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs a command's main loop so that Ctrl-C or SIGTERM stop it gracefully: the JVM's shutdown hook asks the
 * loop to stop, then waits (bounded) for it to finish, so the command can flush and print its summary.
 */
public final class StopOnSignal {
  private static final long GRACE_SECONDS = 30;

  private StopOnSignal() {}

  public static <T> T run(Runnable stop, Supplier<T> loop) {
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stop.run();
      try {
        finished.await(GRACE_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "catdog-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return loop.get();
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running already and returns now that the loop has finished.
      }
    }
  }
}
