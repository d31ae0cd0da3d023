package catdog.cli.serve;

import catdog.cli.support.CatdogHome;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The service's configuration as the launcher builds it: flags win over the --config file, which wins over
 * the environment variables and reference.conf defaults. A relative model path that does not exist from the
 * working directory is looked up in the repository checkout, so that `catdog serve` works from anywhere.
 */
public final class ServiceConfig {
  public static final String BOOTSTRAP = "catdog.kafka.bootstrap-servers";
  public static final String MODEL = "catdog.model.path";
  public static final String GROUP = "catdog.kafka.group-id";
  public static final String HTTP_PORT = "catdog.http.port";

  private ServiceConfig() {}

  public static Config of(Optional<Path> file, Map<String, ?> overrides) {
    Config fromFile = file.map(f -> {
      if (!Files.isRegularFile(f)) {
        throw new IllegalArgumentException("no such config file: " + f);
      }
      return ConfigFactory.parseFile(f.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
    }).orElse(ConfigFactory.empty());
    Config config = ConfigFactory.load(ConfigFactory.parseMap(overrides).withFallback(fromFile));
    return withModelFound(config);
  }

  private static Config withModelFound(Config config) {
    if (!config.hasPath(MODEL)) {
      return config;
    }
    Path model = Path.of(config.getString(MODEL));
    if (model.isAbsolute() || Files.exists(model)) {
      return config.withValue(MODEL, ConfigValueFactory.fromAnyRef(model.toAbsolutePath().toString()));
    }
    Path inCheckout = CatdogHome.root().resolve(model);
    return Files.exists(inCheckout) ? config.withValue(MODEL, ConfigValueFactory.fromAnyRef(inCheckout.toString())) : config;
  }
}
