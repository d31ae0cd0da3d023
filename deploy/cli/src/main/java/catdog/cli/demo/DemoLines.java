package catdog.cli.demo;

import catdog.cli.matching.Answer;
import catdog.cli.matching.MatchReport;
import catdog.protocol.Prediction;
import java.util.List;
import java.util.Locale;

/** The demo's output: one line per answer as it arrives, and the summary line. */
final class DemoLines {
  private DemoLines() {}

  static String answer(Answer answer, List<String> labels) {
    if (answer instanceof Answer.Predicted predicted) {
      Prediction p = predicted.prediction();
      float probability = p.getClassIndex() < p.getProbabilitiesCount() ? p.getProbabilities(p.getClassIndex()).getProbability() : Float.NaN;
      String verdict = "";
      if (p.hasKnownLabel() && p.getKnownLabel() != p.getClassIndex()) {
        String expected = p.getKnownLabel() < labels.size() ? labels.get(p.getKnownLabel()) : "#" + p.getKnownLabel();
        verdict = "  (wrong: it is a " + expected + ")";
      }
      return String.format(Locale.ROOT, "%-16s %-4s %.3f  %s@%s  %4d ms%s", p.getId(), p.getLabel(), probability,
          p.getModelName(), p.getModelVersion(), predicted.latencyMs(), verdict);
    }
    Answer.DeadLettered dead = (Answer.DeadLettered) answer;
    return String.format(Locale.ROOT, "%-16s dead letter: %s: %s  %4d ms", dead.id(), dead.letter().getErrorKind(),
        dead.letter().getMessage(), dead.latencyMs());
  }

  static String summary(long published, MatchReport report) {
    return String.format(Locale.ROOT, "demo: %d/%d predicted, accuracy %s, p50 %d ms, p99 %d ms, model %s",
        report.predicted(), published, report.accuracyText(), report.percentileMs(50), report.percentileMs(99),
        report.mainModel());
  }
}
