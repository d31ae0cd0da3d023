package catdog.streaming.admin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * A client of the admin HTTP API ({@link AdminRoutes}), for {@code catdog admin} and scripts. Each call
 * returns the HTTP status and the JSON body as the service sent them; it throws only when the service cannot
 * be reached.
 */
public final class AdminClient {
  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final URI models;
  private final String token;

  /**
   * @param service the service's HTTP root, e.g. {@code http://127.0.0.1:8080}
   * @param token the bearer token ({@code catdog.admin.token})
   */
  public AdminClient(URI service, String token) {
    this.models = service.resolve("/admin/models");
    this.token = token;
  }

  /** The status and JSON body of one admin call. */
  public record Response(int status, String body) {
    public boolean ok() {
      return status == 200;
    }
  }

  /** Current, previous and candidate models, open sessions and the last notice. */
  public Response status() throws IOException, InterruptedException {
    return send(request("").GET());
  }

  /** Uploads a local ONNX file and swaps to it. */
  public Response swap(Path onnx) throws IOException, InterruptedException {
    return send(upload("", onnx));
  }

  /** Swaps to a file the service itself can read (shared storage). */
  public Response swapToServerFile(String path) throws IOException, InterruptedException {
    return send(request("").header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString("{\"path\": " + quote(path) + "}")));
  }

  public Response rollback() throws IOException, InterruptedException {
    return send(request("/rollback").POST(BodyPublishers.noBody()));
  }

  /** Uploads a candidate that scores {@code percent} % of records, chosen by key hash. */
  public Response canary(Path onnx, double percent) throws IOException, InterruptedException {
    return send(upload("/canary?percent=" + String.format(Locale.ROOT, "%s", percent), onnx));
  }

  /** Uploads a candidate that scores a copy of the traffic to the shadow topic. */
  public Response shadow(Path onnx) throws IOException, InterruptedException {
    return send(upload("/shadow", onnx));
  }

  public Response promote() throws IOException, InterruptedException {
    return send(request("/promote").POST(BodyPublishers.noBody()));
  }

  public Response abort() throws IOException, InterruptedException {
    return send(request("/abort").POST(BodyPublishers.noBody()));
  }

  private HttpRequest.Builder upload(String suffix, Path onnx) throws IOException {
    return request(suffix).header("Content-Type", "application/octet-stream").POST(BodyPublishers.ofFile(onnx));
  }

  private HttpRequest.Builder request(String suffix) {
    return HttpRequest.newBuilder(URI.create(models + suffix)).header("Authorization", "Bearer " + token).timeout(TIMEOUT);
  }

  private Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
    var response = http.send(request.build(), BodyHandlers.ofString());
    return new Response(response.statusCode(), response.body());
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
