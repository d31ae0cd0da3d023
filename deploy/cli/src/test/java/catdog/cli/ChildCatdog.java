package catdog.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A catdog command in a child JVM, as deploy/bin/catdog would run it, so that tests can send it SIGTERM.
 * Its stdout and stderr are merged and collected line by line.
 */
public final class ChildCatdog implements AutoCloseable {
  private final Process process;
  private final BlockingQueue<String> fresh = new LinkedBlockingQueue<>();
  private final List<String> all = new CopyOnWriteArrayList<>();

  private ChildCatdog(Process process) {
    this.process = process;
    Thread reader = new Thread(this::pump, "child-catdog-output");
    reader.setDaemon(true);
    reader.start();
  }

  public static ChildCatdog start(String... args) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx512m", "-XX:TieredStopAtLevel=1",
        "-Dlogback.configurationFile=logback.xml", "catdog.cli.Catdog"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    // Through the environment, not -cp: ONNX Runtime 1.29 crashes (SIGSEGV) creating a session in a process
    // whose command line is longer than about 4 KB, and the test classpath is longer than that.
    builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
    try {
      return new ChildCatdog(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a child JVM", e);
    }
  }

  /** Waits for the first new line that matches; fails with everything printed so far when it does not come. */
  public String awaitLine(Predicate<String> matches, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String line = fresh.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new AssertionError("no such line within " + timeout + " (child " + (process.isAlive() ? "running" : "exited with "
            + process.exitValue()) + "); it printed:\n" + output());
      }
      if (matches.test(line)) {
        return line;
      }
    }
  }

  /** Sends SIGTERM and waits for the process to end; returns its exit code. */
  public int terminate(Duration timeout) throws InterruptedException {
    fresh.clear();
    // Process.destroy() would also close our end of its output; the handle only sends the signal.
    process.toHandle().destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the child did not stop within " + timeout + " of SIGTERM; it printed:\n" + output());
    }
    return process.exitValue();
  }

  public String output() {
    return String.join("\n", all);
  }

  private void pump() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        all.add(line);
        fresh.add(line);
      }
    } catch (IOException e) {
      all.add("(output closed: " + e + ")");
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
