package catdog.trainer.cli;

import ai.djl.ndarray.types.Shape;
import catdog.trainer.model.ModelCost;
import catdog.trainer.model.ModelSpec;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code catdog summary}: the homework's "check the model" walk, one row per layer. */
@Command(name = "summary", mixinStandardHelpOptions = true,
    description = "Prints each layer of a model with its output shape and parameter count, then the totals.")
public final class SummaryCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, completionCandidates = ModelNames.class,
      description = "one of: ${COMPLETION-CANDIDATES}")
  String model;

  @Override
  public Integer call() {
    System.out.print(render(ModelSpec.require(model)));
    return 0;
  }

  static String render(ModelSpec spec) {
    ModelCost cost = spec.cost();
    int w = Math.max(20, cost.layers().stream().mapToInt(l -> l.layer().length()).max().orElse(20));
    StringBuilder sb = new StringBuilder(spec.name()).append(": ").append(spec.description()).append('\n');
    String row = "%3s  %-" + w + "s  %-14s  %10s%n";
    sb.append(String.format(Locale.ROOT, row, "#", "layer", "output", "parameters"));
    sb.append(String.format(Locale.ROOT, row, "", "input", shape(spec.inputShape().slice(1)), ""));
    for (ModelCost.Layer l : cost.layers()) {
      sb.append(String.format(Locale.ROOT, row, l.index(), l.layer(), shape(l.output()), l.parameters()));
    }
    sb.append(String.format(Locale.ROOT, "total: %,d parameters, %.2f MFLOPs per image%n", cost.parameters(), cost.mflops()));
    return sb.toString();
  }

  /** {@code 6×124×124}, as the homework writes shapes. */
  static String shape(Shape s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.dimension(); i++) {
      sb.append(i == 0 ? "" : "×").append(s.get(i));
    }
    return sb.toString();
  }
}
