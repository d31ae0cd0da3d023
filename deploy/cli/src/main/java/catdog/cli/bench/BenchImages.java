package catdog.cli.bench;

import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * The encoded images a benchmark runs on, in memory. When the full-size originals are not there (a
 * checkout without ../shared), photo-sized JPEGs are synthesized by upscaling the small ones, and the
 * source says so: the figure is then comparable in cost, not in content.
 */
record BenchImages(String source, List<byte[]> images) {
  static final int FULL_WIDTH = 450;
  static final int FULL_HEIGHT = 375;

  static BenchImages load(Path dir, int max) {
    try (Stream<Path> files = Files.list(dir)) {
      List<byte[]> images = new ArrayList<>();
      for (Path p : files.filter(BenchImages::isImage).sorted().limit(max).toList()) {
        images.add(Files.readAllBytes(p));
      }
      if (images.isEmpty()) {
        throw new IllegalArgumentException("no jpg/png images in " + dir);
      }
      return new BenchImages(dir.toString(), List.copyOf(images));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read images from " + dir, e);
    }
  }

  /** Each small image scaled up to 450×375 and encoded as JPEG again. */
  static BenchImages upscaled(BenchImages small) {
    List<byte[]> images = new ArrayList<>(small.images().size());
    for (byte[] encoded : small.images()) {
      try {
        BufferedImage source = ImageIO.read(new ByteArrayInputStream(encoded));
        BufferedImage big = new BufferedImage(FULL_WIDTH, FULL_HEIGHT, BufferedImage.TYPE_INT_RGB);
        var g = big.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(source, 0, 0, FULL_WIDTH, FULL_HEIGHT, null);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(big, "jpg", out);
        images.add(out.toByteArray());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new BenchImages(small.source() + " upscaled to " + FULL_WIDTH + "x" + FULL_HEIGHT, List.copyOf(images));
  }

  byte[] get(int i) {
    return images.get(Math.floorMod(i, images.size()));
  }

  private static boolean isImage(Path p) {
    String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return Files.isRegularFile(p) && (name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".png"));
  }
}
