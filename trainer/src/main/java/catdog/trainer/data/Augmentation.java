package catdog.trainer.data;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.Random;

/**
 * Training-time augmentation on decoded images: random resized crop, horizontal flip and colour jitter.
 * The result goes through the service's resize and normalisation, so with no augmentation a training
 * example is exactly the tensor the service computes.
 *
 * @param minArea smallest crop, as a fraction of the image area (torchvision's scale lower bound)
 * @param maxAspect crop aspect ratios range over [1/maxAspect, maxAspect]
 * @param jitter brightness, contrast and saturation factors are drawn from [1 - jitter, 1 + jitter]
 */
public record Augmentation(double minArea, double maxAspect, boolean flip, float jitter) {

  /** The recipe catdog trains with. */
  public static Augmentation standard() {
    return new Augmentation(0.35, 4.0 / 3.0, true, 0.3f);
  }

  public BufferedImage apply(BufferedImage src, Random rng) {
    int w = src.getWidth();
    int h = src.getHeight();
    int[] box = cropBox(w, h, rng);
    int cw = box[2];
    int ch = box[3];
    int[] px = crop(src, box[0], box[1], cw, ch);
    if (flip && rng.nextBoolean()) {
      for (int y = 0; y < ch; y++) {
        for (int a = y * cw, b = a + cw - 1; a < b; a++, b--) {
          int t = px[a];
          px[a] = px[b];
          px[b] = t;
        }
      }
    }
    if (jitter > 0) {
      jitter(px, rng);
    }
    // 3-byte BGR, the layout JPEGs decode to, so the preprocessor reads it without a colour-model detour.
    BufferedImage out = new BufferedImage(cw, ch, BufferedImage.TYPE_3BYTE_BGR);
    byte[] bgr = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
    for (int i = 0, j = 0; i < px.length; i++, j += 3) {
      bgr[j] = (byte) px[i];
      bgr[j + 1] = (byte) (px[i] >> 8);
      bgr[j + 2] = (byte) (px[i] >> 16);
    }
    return out;
  }

  /** Packed 0xRRGGBB pixels of a rectangle, straight from the raster for decoded JPEGs. */
  private static int[] crop(BufferedImage src, int x0, int y0, int cw, int ch) {
    int w = src.getWidth();
    if (src.getType() != BufferedImage.TYPE_3BYTE_BGR
        || ((DataBufferByte) src.getRaster().getDataBuffer()).getData().length != w * src.getHeight() * 3) {
      return src.getRGB(x0, y0, cw, ch, null, 0, cw);
    }
    byte[] data = ((DataBufferByte) src.getRaster().getDataBuffer()).getData();
    int[] px = new int[cw * ch];
    for (int y = 0; y < ch; y++) {
      for (int x = 0, j = ((y0 + y) * w + x0) * 3; x < cw; x++, j += 3) {
        px[y * cw + x] = ((data[j + 2] & 0xFF) << 16) | ((data[j + 1] & 0xFF) << 8) | (data[j] & 0xFF);
      }
    }
    return px;
  }

  /** x, y, width, height of a crop with random area and aspect ratio; the centre square when none fits. */
  private int[] cropBox(int w, int h, Random rng) {
    double area = (double) w * h;
    double logMin = Math.log(1 / maxAspect);
    double logMax = Math.log(maxAspect);
    for (int attempt = 0; attempt < 10; attempt++) {
      double target = area * (minArea + (1 - minArea) * rng.nextDouble());
      double aspect = Math.exp(logMin + (logMax - logMin) * rng.nextDouble());
      int cw = (int) Math.round(Math.sqrt(target * aspect));
      int ch = (int) Math.round(Math.sqrt(target / aspect));
      if (cw > 0 && ch > 0 && cw <= w && ch <= h) {
        return new int[] {rng.nextInt(w - cw + 1), rng.nextInt(h - ch + 1), cw, ch};
      }
    }
    int s = Math.min(w, h);
    return new int[] {(w - s) / 2, (h - s) / 2, s, s};
  }

  /** Brightness, contrast and saturation, each a blend towards black, the mean grey or the pixel's grey. */
  private void jitter(int[] px, Random rng) {
    float brightness = factor(rng);
    float contrast = factor(rng);
    float saturation = factor(rng);
    double sum = 0;
    for (int p : px) {
      sum += grey(p);
    }
    float mean = (float) (sum / px.length) * brightness;
    for (int i = 0; i < px.length; i++) {
      int p = px[i];
      float r = ((p >> 16) & 0xFF) * brightness;
      float g = ((p >> 8) & 0xFF) * brightness;
      float b = (p & 0xFF) * brightness;
      r = mean + (r - mean) * contrast;
      g = mean + (g - mean) * contrast;
      b = mean + (b - mean) * contrast;
      float gr = 0.299f * r + 0.587f * g + 0.114f * b;
      r = gr + (r - gr) * saturation;
      g = gr + (g - gr) * saturation;
      b = gr + (b - gr) * saturation;
      px[i] = (clamp(r) << 16) | (clamp(g) << 8) | clamp(b);
    }
  }

  private float factor(Random rng) {
    return 1 - jitter + 2 * jitter * rng.nextFloat();
  }

  private static float grey(int p) {
    return 0.299f * ((p >> 16) & 0xFF) + 0.587f * ((p >> 8) & 0xFF) + 0.114f * (p & 0xFF);
  }

  private static int clamp(float v) {
    return v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
  }
}
