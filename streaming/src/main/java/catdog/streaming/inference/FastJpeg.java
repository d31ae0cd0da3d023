package catdog.streaming.inference;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.Optional;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JPEG decoding through OpenCV's libjpeg-turbo: SIMD decode, and DCT-domain downscaling by 2, 4 or 8,
 * which decodes a 450×375 photo at half size about twice as fast as a full decode. At full scale its
 * pixels are bit-identical to ImageIO's (both use libjpeg's ISLOW IDCT), so models trained on ImageIO
 * decodes see the same input. When the native library cannot load, callers fall back to ImageIO.
 */
final class FastJpeg {
  private static final Logger log = LoggerFactory.getLogger(FastJpeg.class);
  private static final boolean AVAILABLE = load();

  private FastJpeg() {}

  static boolean available() {
    return AVAILABLE;
  }

  /**
   * The largest DCT reduction (1, 2, 4 or 8) that still leaves at least {@code minW} × {@code minH}
   * pixels, so the bilinear resize afterwards only ever shrinks by less than 2.
   */
  static int reduction(int width, int height, int minW, int minH) {
    int k = 1;
    while (k < 8 && ceilDiv(width, k * 2) >= minW && ceilDiv(height, k * 2) >= minH) {
      k *= 2;
    }
    return k;
  }

  /** Decodes at 1/k scale into a TYPE_3BYTE_BGR image; empty when libjpeg cannot decode the bytes. */
  static Optional<BufferedImage> decode(byte[] jpeg, int k) {
    int flag = switch (k) {
      case 1 -> Imgcodecs.IMREAD_COLOR;
      case 2 -> Imgcodecs.IMREAD_REDUCED_COLOR_2;
      case 4 -> Imgcodecs.IMREAD_REDUCED_COLOR_4;
      case 8 -> Imgcodecs.IMREAD_REDUCED_COLOR_8;
      default -> throw new IllegalArgumentException("reduction must be 1, 2, 4 or 8, was " + k);
    };
    MatOfByte encoded = new MatOfByte(jpeg);
    Mat mat = Imgcodecs.imdecode(encoded, flag);
    try {
      if (mat.empty() || mat.channels() != 3) {
        return Optional.empty();
      }
      BufferedImage image = new BufferedImage(mat.cols(), mat.rows(), BufferedImage.TYPE_3BYTE_BGR);
      mat.get(0, 0, ((DataBufferByte) image.getRaster().getDataBuffer()).getData());
      return Optional.of(image);
    } finally {
      mat.release();
      encoded.release();
    }
  }

  /**
   * Whether the entropy-coded data is followed by an end-of-image marker. libjpeg decodes a truncated
   * file to grey without failing; 0xFFD9 cannot occur inside scan data (0xFF is stuffed there), so its
   * absence after the first start-of-scan means the file was cut.
   */
  static boolean complete(byte[] jpeg) {
    int sos = -1;
    for (int i = 2; i + 1 < jpeg.length; i++) {
      if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xDA) {
        sos = i;
        break;
      }
    }
    if (sos < 0) {
      return false;
    }
    for (int i = jpeg.length - 2; i > sos; i--) {
      if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xD9) {
        return true;
      }
    }
    return false;
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  private static boolean load() {
    try {
      nu.pattern.OpenCV.loadLocally();
      return true;
    } catch (Throwable e) {
      // A missing or incompatible native library is not fatal: ImageIO decodes everything, only slower.
      log.warn("OpenCV's libjpeg-turbo is unavailable ({}); decoding JPEG with ImageIO", e.toString());
      return false;
    }
  }
}
