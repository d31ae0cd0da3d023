package catdog.cli.admin;

import catdog.streaming.admin.AdminClient;
import java.net.URI;
import picocli.CommandLine.Option;

/** Where the admin API is and the bearer token it wants; the token is never printed. */
final class ApiOptions {
  @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:CATDOG_ADMIN_URL:-http://127.0.0.1:8080}",
      description = "The service's HTTP address (default: ${DEFAULT-VALUE}; env CATDOG_ADMIN_URL).")
  URI url;

  @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:CATDOG_ADMIN_TOKEN}",
      description = "Bearer token of the admin API (default: env CATDOG_ADMIN_TOKEN).")
  String token;

  AdminClient client() {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("no admin token: pass --token or set CATDOG_ADMIN_TOKEN");
    }
    return new AdminClient(url, token);
  }
}
