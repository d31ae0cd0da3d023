package catdog.streaming.admin;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.completeWithFuture;
import static akka.http.javadsl.server.Directives.concat;
import static akka.http.javadsl.server.Directives.extractMaterializer;
import static akka.http.javadsl.server.Directives.extractRequestEntity;
import static akka.http.javadsl.server.Directives.onComplete;
import static akka.http.javadsl.server.Directives.get;
import static akka.http.javadsl.server.Directives.optionalHeaderValueByName;
import static akka.http.javadsl.server.Directives.parameterOptional;
import static akka.http.javadsl.server.Directives.path;
import static akka.http.javadsl.server.Directives.pathEnd;
import static akka.http.javadsl.server.Directives.pathPrefix;
import static akka.http.javadsl.server.Directives.post;
import static akka.http.javadsl.server.Directives.respondWithHeader;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpEntity;
import akka.http.scaladsl.model.EntityStreamSizeException;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.Route;
import akka.pattern.StatusReply;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The admin HTTP API, as a {@link Route} the service's HTTP server concatenates with its own. Every route
 * needs {@code Authorization: Bearer <catdog.admin.token>}; without a configured token the API refuses all.
 * <ul>
 *   <li>{@code GET /admin/models}: current, previous and candidate models, with versions and metadata;
 *   <li>{@code POST /admin/models}: swap to a model: ONNX bytes as the body, or JSON {@code {"path": ...}} /
 *       {@code {"uri": "file:..."}};
 *   <li>{@code POST /admin/models/rollback}, {@code /promote}, {@code /abort};
 *   <li>{@code POST /admin/models/canary?percent=X} and {@code /shadow} with a model body as for a swap.
 * </ul>
 * A refused model answers 422 with {@code {"error": reason}}; a request that conflicts with the state (a load
 * in progress, nothing to roll back to) 409; an oversized upload 413; a missing or wrong token 401.
 */
public final class AdminRoutes {
  /** Loading checks, warms up and gates a model: allow for a big model on a busy machine. */
  private static final Duration ASK_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  private final ActorRef<ModelRegistry.Command> registry;
  private final ActorSystem<?> system;
  private final AdminSettings settings;
  private final byte[] token;

  private AdminRoutes(ActorRef<ModelRegistry.Command> registry, ActorSystem<?> system, AdminSettings settings) {
    this.registry = registry;
    this.system = system;
    this.settings = settings;
    this.token = ("Bearer " + settings.token()).getBytes(StandardCharsets.UTF_8);
  }

  public static Route create(ActorRef<ModelRegistry.Command> registry, ActorSystem<?> system, AdminSettings settings) {
    return new AdminRoutes(registry, system, settings).route();
  }

  private Route route() {
    return pathPrefix("admin", () -> pathPrefix("models", () -> authorized(() -> concat(
        pathEnd(() -> concat(
            get(() -> completeWithFuture(AskPattern.<ModelRegistry.Command, ModelRegistry.Status>ask(registry, ModelRegistry.GetStatus::new,
                ASK_TIMEOUT, system.scheduler()).thenApply(s -> json(StatusCodes.OK, AdminJson.status(s))))),
            post(() -> withModel(source -> ask(r -> new ModelRegistry.LoadModel(source, r), AdminJson::swapped))))),
        path("rollback", () -> post(() -> ask(ModelRegistry.Rollback::new, AdminJson::swapped))),
        path("promote", () -> post(() -> ask(ModelRegistry.Promote::new, AdminJson::swapped))),
        path("abort", () -> post(() -> ask(ModelRegistry.AbortTrial::new, AdminJson::status))),
        path("canary", () -> post(() -> parameterOptional("percent", percent -> withModel(source -> canary(source, percent))))),
        path("shadow", () -> post(() -> withModel(source -> ask(r -> new ModelRegistry.StartTrial(source, TrialMode.SHADOW, 0, r),
            AdminJson::status))))))));
  }

  private Route canary(ModelSource source, Optional<String> percent) {
    double share;
    try {
      share = Double.parseDouble(percent.orElse("10"));
    } catch (NumberFormatException e) {
      return complete(json(StatusCodes.BAD_REQUEST, AdminJson.error("percent must be a number, was " + percent.get())));
    }
    if (!(share > 0 && share <= 100)) {
      return complete(json(StatusCodes.BAD_REQUEST, AdminJson.error("percent must be in (0, 100], was " + share)));
    }
    return ask(r -> new ModelRegistry.StartTrial(source, TrialMode.CANARY, share, r), AdminJson::status);
  }

  /** Compares the whole header in constant time, so the token cannot be guessed byte by byte from timings. */
  private Route authorized(Supplier<Route> inner) {
    return optionalHeaderValueByName("Authorization", header -> {
      if (settings.token().isEmpty()) {
        return complete(json(StatusCodes.FORBIDDEN, AdminJson.error("the admin API is disabled: set catdog.admin.token (CATDOG_ADMIN_TOKEN)")));
      }
      if (header.isEmpty() || !MessageDigest.isEqual(token, header.get().getBytes(StandardCharsets.UTF_8))) {
        return respondWithHeader(RawHeader.create("WWW-Authenticate", "Bearer realm=\"catdog-admin\""),
            () -> complete(json(StatusCodes.UNAUTHORIZED, AdminJson.error("a valid bearer token is required"))));
      }
      return inner.get();
    });
  }

  /** The model a request names: JSON naming a file, or the ONNX bytes themselves, up to the upload limit. */
  private Route withModel(Function<ModelSource, Route> inner) {
    long max = settings.maxUploadBytes();
    return extractRequestEntity(entity -> extractMaterializer(materializer -> {
      if (entity.getContentLengthOption().isPresent() && entity.getContentLengthOption().getAsLong() > max) {
        return complete(tooLarge(entity.getContentLengthOption().getAsLong()));
      }
      CompletionStage<HttpEntity.Strict> strict = entity.withSizeLimit(max).toStrict(READ_TIMEOUT.toMillis(), materializer);
      return onComplete(strict, body -> {
        if (body.isFailure()) {
          return complete(body.failed().get() instanceof EntityStreamSizeException ? tooLarge(-1)
              : json(StatusCodes.BAD_REQUEST, AdminJson.error("cannot read the body: " + body.failed().get().getMessage())));
        }
        return withBody(body.get(), inner);
      });
    }));
  }

  private Route withBody(HttpEntity.Strict entity, Function<ModelSource, Route> inner) {
    if (entity.getContentType().mediaType().equals(MediaTypes.APPLICATION_JSON)) {
      AdminJson.Named named = AdminJson.source(entity.getData().utf8String());
      if (named instanceof AdminJson.Named.Invalid invalid) {
        return complete(json(StatusCodes.BAD_REQUEST, AdminJson.error(invalid.reason())));
      }
      return inner.apply(((AdminJson.Named.Source) named).source());
    }
    if (entity.getData().isEmpty()) {
      return complete(json(StatusCodes.BAD_REQUEST, AdminJson.error("send the ONNX bytes as the body, or JSON {\"path\": ...}")));
    }
    return inner.apply(new ModelSource.Bytes(entity.getData().toArray(), "an upload"));
  }

  private HttpResponse tooLarge(long length) {
    return json(StatusCodes.PAYLOAD_TOO_LARGE, AdminJson.error("the upload" + (length >= 0 ? " of " + length + " bytes" : "")
        + " is over the limit of " + settings.maxUploadBytes() + " bytes (catdog.admin.max-upload-size)"));
  }

  private <T> Route ask(Function<ActorRef<StatusReply<T>>, ModelRegistry.Command> message, Function<T, String> render) {
    CompletionStage<HttpResponse> response = AskPattern.askWithStatus(registry, message::apply, ASK_TIMEOUT, system.scheduler())
        .thenApply(value -> json(StatusCodes.OK, render.apply(value)))
        .exceptionally(AdminRoutes::failure);
    return completeWithFuture(response);
  }

  private static HttpResponse failure(Throwable error) {
    Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof StatusReply.ErrorMessage refusal) {
      String reason = refusal.getMessage();
      StatusCode code = reason.startsWith("refused ") && !reason.contains("still loading") ? StatusCodes.UNPROCESSABLE_ENTITY : StatusCodes.CONFLICT;
      return json(code, AdminJson.error(reason));
    }
    if (cause instanceof TimeoutException) {
      return json(StatusCodes.SERVICE_UNAVAILABLE, AdminJson.error("the model registry did not answer in time; see GET /admin/models"));
    }
    return json(StatusCodes.INTERNAL_SERVER_ERROR, AdminJson.error("unexpected: " + cause));
  }

  private static HttpResponse json(StatusCode code, String body) {
    return HttpResponse.create().withStatus(code).withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body));
  }
}
