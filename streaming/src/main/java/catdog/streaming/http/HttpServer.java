package catdog.streaming.http;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.server.Route;
import java.util.concurrent.CompletionStage;

/** Binds the service's routes on the configured host and port (0 = any free port). */
public final class HttpServer {
  private HttpServer() {}

  public static CompletionStage<ServerBinding> bind(ActorSystem<?> system, String host, int port, Route routes) {
    return Http.get(system).newServerAt(host, port).bind(routes);
  }
}
