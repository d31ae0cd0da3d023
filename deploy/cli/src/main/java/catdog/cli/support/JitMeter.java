package catdog.cli.support;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * How busy the JIT compilers are: their CPU time per wall-clock time since the last mark, in cores. A fresh
 * service on two cores spent a quarter to a third of its CPU compiling for its first minute (broker, Kafka
 * clients, Akka and protobuf together are a lot of code), and a few percent after that; a benchmark of the
 * steady state waits for the second phase.
 *
 * <p>On Linux it reads the compiler threads' CPU time from /proc (they are hidden from ThreadMXBean). Elsewhere
 * it falls back to the CompilationMXBean's compilation time, which is elapsed time and so overstates the CPU
 * when compilers wait for a busy core: about twice, on two saturated cores.
 */
public final class JitMeter {
  private static final Path TASKS = Path.of("/proc/self/task");
  // USER_HZ, the unit of /proc's CPU times: 100 on every Linux architecture Java runs on.
  private static final double TICKS_PER_MS = 0.1;

  private final CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
  private final boolean proc = Files.isDirectory(TASKS);
  private long markNanos;
  private double markCompileMs;

  public JitMeter() {
    mark();
  }

  /** Whether this JVM can tell; without it the meter reads 0. */
  public boolean available() {
    return proc || (compiler != null && compiler.isCompilationTimeMonitoringSupported());
  }

  /** Starts a new measurement. */
  public void mark() {
    markNanos = System.nanoTime();
    markCompileMs = compileMs();
  }

  /** Cores' worth of compiling since the last mark: 0.25 is a quarter of one core. */
  public double coresSinceMark() {
    double wallMs = Math.max(1, (System.nanoTime() - markNanos) / 1e6);
    return Math.max(0, compileMs() - markCompileMs) / wallMs;
  }

  private double compileMs() {
    if (proc) {
      try (Stream<Path> tasks = Files.list(TASKS)) {
        return tasks.mapToLong(JitMeter::compilerTicks).sum() / TICKS_PER_MS;
      } catch (IOException | RuntimeException e) {
        return 0;
      }
    }
    return available() ? compiler.getTotalCompilationTime() : 0;
  }

  /** utime + stime of a compiler thread ("C1 CompilerThre", "C2 CompilerThre"), 0 for any other thread. */
  private static long compilerTicks(Path task) {
    try {
      String stat = Files.readString(task.resolve("stat"));
      int open = stat.indexOf('(');
      int close = stat.lastIndexOf(')');
      if (open < 0 || close < open || !stat.substring(open + 1, close).contains("CompilerThre")) {
        return 0;
      }
      String[] fields = stat.substring(close + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException | RuntimeException gone) {
      // The thread ended between the listing and the read.
      return 0;
    }
  }
}
