package catdog.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import catdog.streaming.inference.ImageLimits;
import catdog.streaming.inference.ImagePreprocessor;
import catdog.streaming.inference.Preprocessed;
import catdog.streaming.inference.Preprocessing;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageSetTest {
  private static final ImagePreprocessor PRE = new ImagePreprocessor(Preprocessing.unitRgb(32, 32), ImageLimits.defaults());

  @TempDir
  Path dir;

  static Path photos() throws URISyntaxException {
    return Path.of(ImageSetTest.class.getResource("/catsdogs").toURI());
  }

  @Test
  void shouldLabelKaggleNamesAndSkipWhatIsNotAnImage() throws Exception {
    for (Path f : LabeledFiles.list(photos())) {
      Files.copy(f, dir.resolve(f.getFileName()));
    }
    Files.writeString(dir.resolve("cat.99.jpg"), "not a jpeg");
    Files.writeString(dir.resolve("README.txt"), "no class prefix");

    ImageSet set = ImageSet.decode(LabeledFiles.scan(dir), PRE, false);

    assertThat(set.size()).isEqualTo(16);
    assertThat(set.classCounts()).containsExactly(8, 8);
    assertThat(set.skipped()).extracting(s -> s.file().getFileName().toString()).containsExactlyInAnyOrder("cat.99.jpg", "README.txt");
    assertThat(set.describe()).contains("16 images (cat 8, dog 8), 2 skipped");
  }

  @Test
  void shouldTakeClassesFromSortedSubFolders() throws Exception {
    Path photos = photos();
    Files.createDirectories(dir.resolve("zebra"));
    Files.createDirectories(dir.resolve("ant"));
    Files.copy(photos.resolve("cat.57.jpg"), dir.resolve("zebra/a.jpg"));
    Files.copy(photos.resolve("dog.316.jpg"), dir.resolve("ant/b.jpg"));
    Files.copy(photos.resolve("dog.1601.jpg"), dir.resolve("ant/c.jpg"));

    LabeledFiles files = LabeledFiles.scan(dir);

    assertThat(files.classes()).containsExactly("ant", "zebra");
    assertThat(files.labels()).containsExactly(0, 0, 1);
  }

  @Test
  void shouldGiveTheServiceTensorWhetherCachedAsTensorOrAsImage() throws Exception {
    LabeledFiles files = LabeledFiles.scan(photos());
    ImageSet tensors = ImageSet.decode(files, PRE, false);
    ImageSet images = ImageSet.decode(files, PRE, true);
    Preprocessed service = PRE.apply(Files.readAllBytes(files.files().get(3)));

    float[] a = new float[PRE.preprocessing().tensorSize()];
    float[] b = new float[a.length];
    tensors.write(3, a, 0, Optional.empty(), new Random(0));
    images.write(3, b, 0, Optional.empty(), new Random(0));

    assertThat(a).containsExactly(((Preprocessed.Ready) service).tensor());
    assertThat(b).containsExactly(a);
  }

  @Test
  void shouldAugmentDifferentlyPerDrawAndReproduciblyPerSeed() throws Exception {
    ImageSet images = ImageSet.decode(LabeledFiles.scan(photos()), PRE, true);
    Optional<Augmentation> aug = Optional.of(Augmentation.standard());
    float[] plain = new float[PRE.preprocessing().tensorSize()];
    float[] first = new float[plain.length];
    float[] again = new float[plain.length];
    float[] other = new float[plain.length];
    images.write(0, plain, 0, Optional.empty(), new Random(0));
    images.write(0, first, 0, aug, new Random(5));
    images.write(0, again, 0, aug, new Random(5));
    images.write(0, other, 0, aug, new Random(6));

    assertThat(first).containsExactly(again);
    assertThat(first).isNotEqualTo(plain).isNotEqualTo(other);
    for (float v : first) {
      assertThat(v).isBetween(0f, 1f);
    }
  }

  @Test
  void shouldSplitOffASeededValidationFraction() throws IOException, URISyntaxException {
    Datasets.Split a = Datasets.open(photos(), Optional.empty(), 0.25, 7, PRE, false);
    Datasets.Split b = Datasets.open(photos(), Optional.empty(), 0.25, 7, PRE, false);

    assertThat(a.val().size()).isEqualTo(4);
    assertThat(a.train().size()).isEqualTo(12);
    float[] x = new float[PRE.preprocessing().tensorSize()];
    float[] y = new float[x.length];
    a.val().write(0, x, 0, Optional.empty(), new Random(0));
    b.val().write(0, y, 0, Optional.empty(), new Random(0));
    assertThat(x).containsExactly(y);
  }
}
