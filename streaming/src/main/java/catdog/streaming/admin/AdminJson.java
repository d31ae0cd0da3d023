package catdog.streaming.admin;

import catdog.streaming.admin.ModelRegistry.ModelSwapped;
import catdog.streaming.admin.ModelRegistry.ModelView;
import catdog.streaming.admin.ModelRegistry.Status;
import catdog.streaming.admin.ModelRegistry.TrialView;
import catdog.streaming.inference.ModelInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The admin API's JSON: replies written from the registry's records, and the "model named by path" request. */
final class AdminJson {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private AdminJson() {}

  /** The source a JSON body names: {@code {"path": "/models/m.onnx"}} or {@code {"uri": "file:/models/m.onnx"}}. */
  sealed interface Named {
    record Source(ModelSource source) implements Named {}

    record Invalid(String reason) implements Named {}
  }

  static Named source(String json) {
    try {
      JsonNode node = MAPPER.readTree(json);
      if (node != null && node.hasNonNull("path")) {
        return new Named.Source(new ModelSource.File(Path.of(node.get("path").asText())));
      }
      if (node != null && node.hasNonNull("uri")) {
        URI uri = URI.create(node.get("uri").asText());
        if (!"file".equals(uri.getScheme())) {
          return new Named.Invalid("only file: URIs can be loaded, not " + uri.getScheme() + ":; upload the bytes instead");
        }
        return new Named.Source(new ModelSource.File(Path.of(uri)));
      }
      return new Named.Invalid("the JSON body needs a \"path\" or a \"uri\"");
    } catch (JsonProcessingException | IllegalArgumentException e) {
      return new Named.Invalid("cannot read the JSON body: " + e.getMessage());
    }
  }

  static String swapped(ModelSwapped s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("current", info(s.current()));
    m.put("previous", s.previous().map(AdminJson::info).orElse(null));
    return write(m);
  }

  static String status(Status s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("current", s.current().map(AdminJson::view).orElse(null));
    m.put("previous", s.previous().map(AdminJson::view).orElse(null));
    m.put("candidate", s.trial().map(AdminJson::trial).orElse(null));
    m.put("loading", s.loading().orElse(null));
    m.put("openSessions", s.openSessions());
    m.put("notice", s.notice().orElse(null));
    return write(m);
  }

  static String error(String reason) {
    return write(Map.of("error", reason));
  }

  private static Map<String, Object> trial(TrialView t) {
    Map<String, Object> m = new LinkedHashMap<>(view(t.model()));
    m.put("mode", t.mode().name().toLowerCase(java.util.Locale.ROOT));
    m.put("percent", t.percent());
    m.put("compared", t.compared());
    m.put("agreementRate", Double.isNaN(t.agreementRate()) ? null : t.agreementRate());
    return m;
  }

  private static Map<String, Object> view(ModelView v) {
    Map<String, Object> m = info(v.info());
    m.put("provider", v.provider());
    m.put("goldenAccuracy", v.goldenAccuracy().orElse(null));
    m.put("warmUpP99Ms", v.warmUpP99Millis());
    m.put("leases", v.leases());
    m.put("onProbation", v.onProbation());
    return m;
  }

  private static Map<String, Object> info(ModelInfo i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", i.id());
    m.put("name", i.name());
    m.put("version", i.version());
    m.put("labels", i.labels());
    m.put("input", i.preprocessing().shortForm());
    m.put("metadata", i.toMetadata());
    return m;
  }

  private static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write admin JSON", e);
    }
  }
}
