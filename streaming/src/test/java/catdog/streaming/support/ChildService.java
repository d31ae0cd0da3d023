package catdog.streaming.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service as a separate JVM ({@code catdog.streaming.Main} on the test classpath), so tests can SIGTERM
 * and SIGKILL it as an operator or the kernel would. Its output goes to a log file under target/.
 */
public final class ChildService implements AutoCloseable {
  private static final Pattern SERVING = Pattern.compile("catdog serving http-port=(\\d+) model=(\\S+)");

  private final Process process;
  private final Path log;
  private final int httpPort;
  private final String modelId;

  private ChildService(Process process, Path log, int httpPort, String modelId) {
    this.process = process;
    this.log = log;
    this.httpPort = httpPort;
    this.modelId = modelId;
  }

  /** Starts {@code Main} with every entry of {@code config} as a -D system property and waits until it serves. */
  public static ChildService start(String name, Map<String, Object> config) {
    return start(name, config, List.of("-Xmx384m"));
  }

  /** As {@link #start(String, Map)}, with these JVM options (heap size and the like). */
  public static ChildService start(String name, Map<String, Object> config, List<String> jvmOptions) {
    Path log;
    Process process;
    try {
      Path dir = Files.createDirectories(Path.of("target", "child-logs"));
      log = dir.resolve(name + "-" + System.nanoTime() + ".log");
      // The class path goes in an @argfile: ONNX Runtime 1.29 segfaults while creating its environment
      // when the process command line is longer than about 4 KB (seen here with a 100-jar -cp).
      Path argfile = dir.resolve(name + "-" + System.nanoTime() + ".args");
      Files.writeString(argfile, "-cp\n\"" + System.getProperty("java.class.path").replace("\\", "\\\\") + "\"\n");
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
      command.addAll(jvmOptions);
      command.add("@" + argfile.toAbsolutePath());
      config.forEach((key, value) -> command.add("-D" + key + "=" + value));
      command.add("catdog.streaming.Main");
      process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the service JVM", e);
    }
    Path logFile = log;
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
        .until(() -> !process.isAlive() || SERVING.matcher(read(logFile)).find());
    Matcher m = SERVING.matcher(read(log));
    if (!m.find()) {
      process.destroyForcibly();
      throw new IllegalStateException("the service JVM did not start (exit " + exitCode(process) + "):\n" + tail(read(log)));
    }
    return new ChildService(process, log, Integer.parseInt(m.group(1)), m.group(2));
  }

  public int httpPort() {
    return httpPort;
  }

  public String modelId() {
    return modelId;
  }

  public long pid() {
    return process.pid();
  }

  public String log() {
    return read(log);
  }

  /** SIGTERM, as Kubernetes stops a pod; returns the exit code once the JVM is gone. */
  public int terminate(Duration within) {
    process.destroy();
    return awaitExit(within);
  }

  /** SIGKILL: no drain, no hook, nothing flushed. */
  public void kill() {
    process.destroyForcibly();
    awaitExit(Duration.ofSeconds(30));
  }

  public int awaitExit(Duration within) {
    try {
      if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("the service JVM did not exit within " + within + ":\n" + tail(read(log)));
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }

  private static String exitCode(Process p) {
    return p.isAlive() ? "still running" : Integer.toString(p.exitValue());
  }

  private static String read(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static String tail(String text) {
    return text.length() <= 6000 ? text : text.substring(text.length() - 6000);
  }
}
