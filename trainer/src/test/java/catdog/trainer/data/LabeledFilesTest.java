package catdog.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leaving out the photos a model was trained on: {@code evaluate --exclude-names-in}. */
class LabeledFilesTest {
  @TempDir
  Path tmp;

  @Test
  void shouldLeaveOutTheFilesWhoseNamesAppearUnderAnotherFolderKeepingTheRestLabelled() throws Exception {
    Path full = folder("fullsize", "cat.1.jpg", "cat.2.jpg", "dog.3.jpg", "dog.4.jpg");
    Path train = folder("train", "cat.1.jpg", "dog.9.jpg");
    folder("val/dog", "dog.3.jpg"); // class sub-folders: names are matched at any depth

    LabeledFiles kept = LabeledFiles.scan(full).without(List.of(train, tmp.resolve("val")));

    assertThat(kept.files()).extracting(p -> p.getFileName().toString()).containsExactly("cat.2.jpg", "dog.4.jpg");
    assertThat(kept.labels()).containsExactly(0, 1);
    assertThat(kept.classes()).isEqualTo(LabeledFiles.KAGGLE_CLASSES);
  }

  @Test
  void shouldKeepEveryFileWhenNoNameIsSharedAndRefuseAMissingFolder() throws Exception {
    Path full = folder("fullsize", "cat.1.jpg", "dog.2.jpg");
    Path other = folder("other", "cat.10.jpg");

    assertThat(LabeledFiles.scan(full).without(List.of(other)).labels()).containsExactly(0, 1);
    assertThatThrownBy(() -> LabeledFiles.scan(full).without(List.of(tmp.resolve("missing"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a directory");
  }

  private Path folder(String name, String... files) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    for (String f : files) {
      Files.write(dir.resolve(f), new byte[] {1});
    }
    return dir;
  }
}
