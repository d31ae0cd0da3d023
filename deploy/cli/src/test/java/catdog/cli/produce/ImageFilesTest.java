package catdog.cli.produce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import catdog.cli.SampleImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {
  private static final List<String> LABELS = List.of("cat", "dog");

  @Test
  void shouldTakeLabelFromFileName() {
    assertThat(ImageFiles.labelOf("cat.12.jpg", LABELS)).contains(0);
    assertThat(ImageFiles.labelOf("dog.3.jpg", LABELS)).contains(1);
    assertThat(ImageFiles.labelOf("Dog.3.JPG", LABELS)).contains(1);
  }

  @Test
  void shouldTakeLabelFromClassFolder() {
    assertThat(ImageFiles.labelOf("cat/12.jpg", LABELS)).contains(0);
    assertThat(ImageFiles.labelOf("dogs/img-7.png", LABELS)).contains(1);
    assertThat(ImageFiles.labelOf("dog/cat.1.jpg", LABELS)).as("the name wins over the folder").contains(0);
  }

  @Test
  void shouldLeaveUnknownLabelsEmpty() {
    assertThat(ImageFiles.labelOf("bird.1.jpg", LABELS)).isEqualTo(Optional.empty());
    assertThat(ImageFiles.labelOf("img001.jpg", LABELS)).isEmpty();
    assertThat(ImageFiles.labelOf("other/cat1.jpg", LABELS)).isEmpty();
    assertThat(ImageFiles.labelOf("catalog.1.jpg", LABELS)).isEmpty();
  }

  @Test
  void shouldScanImagesAndSubFoldersSortedSkippingOtherFiles(@TempDir Path dir) throws IOException {
    SampleImages.write(dir, 2);
    Files.writeString(dir.resolve("README.txt"), "not an image");
    Path dogs = Files.createDirectories(dir.resolve("dogs"));
    Files.copy(dir.resolve("dog.0.jpg"), dogs.resolve("rex.png"));

    List<ImageFile> files = ImageFiles.scan(dir, LABELS);

    assertThat(files).extracting(ImageFile::id)
        .containsExactly("cat.0.jpg", "cat.1.jpg", "dog.0.jpg", "dog.1.jpg", "dogs/rex.png");
    assertThat(files).extracting(ImageFile::knownLabel)
        .containsExactly(Optional.of(0), Optional.of(0), Optional.of(1), Optional.of(1), Optional.of(1));
    assertThat(files.get(0).contentType()).isEqualTo("image/jpeg");
    assertThat(files.get(4).contentType()).isEqualTo("image/png");
    assertThat(files.get(0).bytes()).isEqualTo(Files.readAllBytes(dir.resolve("cat.0.jpg")));
  }

  @Test
  void shouldRefuseMissingFolderAndEmptyPlan(@TempDir Path dir) {
    assertThrows(IllegalArgumentException.class, () -> ImageFiles.scan(dir.resolve("nope"), LABELS));
    assertThrows(IllegalArgumentException.class, () -> PublishPlan.once(ImageFiles.scan(dir, LABELS)));
  }
}
