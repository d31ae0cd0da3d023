package catdog.cli;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Small generated JPEGs named like the data set (cat.N.jpg, dog.N.jpg), so tests need no ../shared. */
public final class SampleImages {
  private SampleImages() {}

  /** Writes {@code perClass} cats and as many dogs into {@code dir}, and returns it. */
  public static Path write(Path dir, int perClass) {
    try {
      Files.createDirectories(dir);
      for (int i = 0; i < perClass; i++) {
        ImageIO.write(image(i, Color.ORANGE), "jpg", dir.resolve("cat." + i + ".jpg").toFile());
        ImageIO.write(image(i, Color.DARK_GRAY), "jpg", dir.resolve("dog." + i + ".jpg").toFile());
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static BufferedImage image(int seed, Color color) {
    BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    var g = image.createGraphics();
    g.setColor(color);
    g.fillRect(0, 0, 64, 48);
    g.setColor(Color.WHITE);
    g.fillOval(seed % 40, 10, 20, 20);
    g.dispose();
    return image;
  }
}
