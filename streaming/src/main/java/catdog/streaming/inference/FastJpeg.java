package catdog.streaming.inference;

import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.Optional;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JPEG decoding through OpenCV's bundled libjpeg-turbo (built without its SIMD code: {@link TurboJpeg}, the
 * system's SIMD build, goes first where it loads), with DCT-domain downscaling by 2, 4 or 8,
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
    MatOfByte encoded = new MatOfByte(jpeg);
    Mat mat = Imgcodecs.imdecode(encoded, flag(k));
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
   * Decodes at 1/k scale and resizes into {@code out} (outW × outH × 3 BGR bytes) in native memory: the same
   * pixels as {@link #decode} followed by {@link NativeResize#bgr}, without the decoded image ever reaching the
   * Java heap (the largest allocation per image in the service); false when libjpeg cannot decode the bytes.
   */
  static boolean decodeResized(byte[] jpeg, int k, int outW, int outH, byte[] out) {
    MatOfByte encoded = new MatOfByte(jpeg);
    Mat mat = Imgcodecs.imdecode(encoded, flag(k));
    try {
      if (mat.empty() || mat.channels() != 3) {
        return false;
      }
      NativeResize.bgr(mat, outW, outH, out);
      return true;
    } finally {
      mat.release();
      encoded.release();
    }
  }

  /**
   * Width and height from the start-of-frame header, without decoding; empty when the bytes are
   * not a JPEG or no frame header comes before the scan data. Reading them through ImageIO cost an ImageReader,
   * its buffers and a finalizer per image, on the hot path of a service that then decodes with libjpeg anyway.
   */
  static Optional<Dimension> size(byte[] jpeg) {
    if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
      return Optional.empty();
    }
    int i = 2;
    while (i + 3 < jpeg.length) {
      if ((jpeg[i] & 0xFF) != 0xFF) {
        return Optional.empty();
      }
      int marker = jpeg[i + 1] & 0xFF;
      if (marker == 0xFF) {
        i++; // fill byte
        continue;
      }
      if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        i += 2; // markers without a length
        continue;
      }
      if (marker == 0xDA || marker == 0xD9) {
        return Optional.empty(); // scan or end of image before any frame header
      }
      int length = ((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF);
      boolean frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
      if (frame) {
        if (length < 7 || i + 8 >= jpeg.length) {
          return Optional.empty();
        }
        int height = ((jpeg[i + 5] & 0xFF) << 8) | (jpeg[i + 6] & 0xFF);
        int width = ((jpeg[i + 7] & 0xFF) << 8) | (jpeg[i + 8] & 0xFF);
        return width > 0 && height > 0 ? Optional.of(new Dimension(width, height)) : Optional.empty();
      }
      if (length < 2) {
        return Optional.empty();
      }
      i += 2 + length;
    }
    return Optional.empty();
  }

  private static int flag(int k) {
    return switch (k) {
      case 1 -> Imgcodecs.IMREAD_COLOR;
      case 2 -> Imgcodecs.IMREAD_REDUCED_COLOR_2;
      case 4 -> Imgcodecs.IMREAD_REDUCED_COLOR_4;
      case 8 -> Imgcodecs.IMREAD_REDUCED_COLOR_8;
      default -> throw new IllegalArgumentException("reduction must be 1, 2, 4 or 8, was " + k);
    };
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
