package catdog.trainer.cli;

import catdog.trainer.model.ModelSpec;
import java.util.Iterator;

/** The names {@code --model} takes, for picocli's help: read from {@link ModelSpec}, so a new model is listed at once. */
final class ModelNames implements Iterable<String> {
  @Override
  public Iterator<String> iterator() {
    return ModelSpec.names().iterator();
  }
}
