package catdog.cli.serve;

import catdog.cli.support.Logging;
import catdog.cli.support.StopOnSignal;
import catdog.streaming.CatdogService;
import com.typesafe.config.Config;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code catdog serve}: runs the classification service until Ctrl-C or SIGTERM, then drains and stops. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Run the classification service (images → predictions) in the foreground until SIGTERM.",
        "Settings: flags > --config file > CATDOG_* environment variables > reference.conf."})
public final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = {"-b", "--bootstrap"}, paramLabel = "HOST:PORT", description = "Kafka bootstrap servers (catdog.kafka.bootstrap-servers).")
  String bootstrap;

  @Option(names = "--model", paramLabel = "FILE", description = "ONNX model to serve at start-up (catdog.model.path).")
  Path model;

  @Option(names = "--config", paramLabel = "FILE", description = "HOCON file of catdog.* overrides, e.g. deploy/conf/catdog.conf.")
  Path configFile;

  @Option(names = "--http-port", paramLabel = "PORT", description = "Health/metrics/admin port; 0 = any free one (catdog.http.port).")
  Integer httpPort;

  @Override
  public Integer call() throws Exception {
    Logging.showInfo("catdog");
    PrintWriter out = spec.commandLine().getOut();
    Map<String, Object> flags = new HashMap<>();
    Optional.ofNullable(bootstrap).ifPresent(b -> flags.put(ServiceConfig.BOOTSTRAP, b));
    Optional.ofNullable(model).ifPresent(m -> flags.put(ServiceConfig.MODEL, m.toAbsolutePath().toString()));
    Optional.ofNullable(httpPort).ifPresent(p -> flags.put(ServiceConfig.HTTP_PORT, p));
    Config config = ServiceConfig.of(Optional.ofNullable(configFile), flags);
    var service = CatdogService.start(config);
    out.printf("serve: %s reading %s from %s, http on port %d; Ctrl-C drains and stops%n", service.modelId(),
        config.getString("catdog.topics.images"), config.getString(ServiceConfig.BOOTSTRAP), service.httpPort());
    out.flush();
    CountDownLatch signalled = new CountDownLatch(1);
    long drainSeconds = config.getDuration("catdog.shutdown.drain-timeout").toSeconds() + 10;
    return StopOnSignal.run(signalled::countDown, () -> {
      try {
        signalled.await();
        service.stop().toCompletableFuture().get(drainSeconds, TimeUnit.SECONDS);
        out.println("serve: stopped");
        out.flush();
        return 0;
      } catch (Exception e) {
        spec.commandLine().getErr().println("serve: did not stop cleanly: " + e);
        return 1;
      }
    });
  }
}
