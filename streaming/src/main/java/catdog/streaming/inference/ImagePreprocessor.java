package catdog.streaming.inference;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes an encoded JPEG or PNG and turns it into the tensor a model expects. Thread-safe and
 * stateless apart from its settings; the trainer and the service share it so that both see the same
 * pixels. The image header is read first and the limits applied before any pixel is decoded.
 */
public final class ImagePreprocessor {
  private final Preprocessing preprocessing;
  private final ImageLimits limits;

  public ImagePreprocessor(Preprocessing preprocessing, ImageLimits limits) {
    this.preprocessing = preprocessing;
    this.limits = limits;
  }

  public Preprocessing preprocessing() {
    return preprocessing;
  }

  /** Decodes and preprocesses one image into a fresh tensor. */
  public Preprocessed apply(byte[] encoded) {
    float[] tensor = new float[preprocessing.tensorSize()];
    Decoded decoded = decode(encoded);
    if (decoded instanceof Decoded.Failed f) {
      return f.refusal();
    }
    BufferedImage image = ((Decoded.Image) decoded).image();
    writeTensor(image, tensor, 0);
    return new Preprocessed.Ready(tensor, image.getWidth(), image.getHeight());
  }

  /** Decodes with the header checks and limits, without preprocessing: for augmentation in training. */
  public Decoded decode(byte[] encoded) {
    if (encoded.length == 0) {
      return refuse(Preprocessed.Kind.EMPTY_IMAGE, "the image has no bytes");
    }
    if (encoded.length > limits.maxBytes()) {
      return refuse(Preprocessed.Kind.TOO_MANY_BYTES, "the image has " + encoded.length + " bytes, over the limit of " + limits.maxBytes());
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(encoded))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return refuse(Preprocessed.Kind.UNSUPPORTED_FORMAT, "not a JPEG or PNG image (magic bytes " + magic(encoded) + ")");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        if (pixels > limits.maxPixels()) {
          return refuse(Preprocessed.Kind.TOO_MANY_PIXELS, "the header claims " + reader.getWidth(0) + "x" + reader.getHeight(0)
              + " = " + pixels + " pixels, over the limit of " + limits.maxPixels());
        }
        List<String> warnings = new ArrayList<>(1);
        // ImageIO decodes a truncated JPEG to grey without throwing; its warning is the only sign.
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        BufferedImage image = reader.read(0);
        if (!warnings.isEmpty()) {
          return refuse(Preprocessed.Kind.UNDECODABLE_IMAGE, "corrupt " + reader.getFormatName() + ": " + warnings.get(0));
        }
        return new Decoded.Image(image);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      // ImageIO reports corrupt data as IIOException, and sometimes as runtime exceptions from its decoders.
      return refuse(Preprocessed.Kind.UNDECODABLE_IMAGE, "cannot decode the image: " + e);
    }
  }

  /** The outcome of {@link #decode(byte[])}. */
  public sealed interface Decoded {
    record Image(BufferedImage image) implements Decoded {}

    record Failed(Preprocessed.Refused refusal) implements Decoded {}
  }

  /**
   * Resizes a decoded image with half-pixel-centre bilinear sampling and writes the normalised CHW
   * tensor into {@code dest} from {@code offset}.
   */
  public void writeTensor(BufferedImage image, float[] dest, int offset) {
    int w = image.getWidth();
    int h = image.getHeight();
    int[] rgb = pixels(image);
    int outH = preprocessing.height();
    int outW = preprocessing.width();
    int plane = outH * outW;
    boolean gray = preprocessing.colorOrder() == Preprocessing.ColorOrder.GRAY;
    float scale = preprocessing.scale();
    float[] mean = preprocessing.mean();
    float[] std = preprocessing.std();
    float sy = (float) h / outH;
    float sx = (float) w / outW;
    int[] x0 = new int[outW];
    int[] x1 = new int[outW];
    float[] fx = new float[outW];
    for (int x = 0; x < outW; x++) {
      float src = Math.max((x + 0.5f) * sx - 0.5f, 0f);
      x0[x] = Math.min((int) src, w - 1);
      x1[x] = Math.min(x0[x] + 1, w - 1);
      fx[x] = src - x0[x];
    }
    for (int y = 0; y < outH; y++) {
      float srcY = Math.max((y + 0.5f) * sy - 0.5f, 0f);
      int y0 = Math.min((int) srcY, h - 1);
      int y1 = Math.min(y0 + 1, h - 1);
      float fy = srcY - y0;
      int row0 = y0 * w;
      int row1 = y1 * w;
      for (int x = 0; x < outW; x++) {
        int p00 = rgb[row0 + x0[x]];
        int p01 = rgb[row0 + x1[x]];
        int p10 = rgb[row1 + x0[x]];
        int p11 = rgb[row1 + x1[x]];
        int at = offset + y * outW + x;
        if (gray) {
          float v = lerp(luma(p00), luma(p01), luma(p10), luma(p11), fx[x], fy);
          dest[at] = (v * scale - mean[0]) / std[0];
        } else {
          for (int c = 0; c < 3; c++) {
            int shift = 16 - 8 * c;
            float v = lerp((p00 >> shift) & 0xFF, (p01 >> shift) & 0xFF, (p10 >> shift) & 0xFF, (p11 >> shift) & 0xFF, fx[x], fy);
            dest[at + c * plane] = (v * scale - mean[c]) / std[c];
          }
        }
      }
    }
  }

  private static float lerp(float p00, float p01, float p10, float p11, float fx, float fy) {
    float top = p00 + (p01 - p00) * fx;
    float bottom = p10 + (p11 - p10) * fx;
    return top + (bottom - top) * fy;
  }

  /** ITU-R 601 luma, as PIL's {@code convert("L")} computes it. */
  private static float luma(int rgb) {
    return ((rgb >> 16) & 0xFF) * 0.299f + ((rgb >> 8) & 0xFF) * 0.587f + (rgb & 0xFF) * 0.114f;
  }

  /** Packed 0xRRGGBB pixels, reading the raster directly for the layouts JPEG and PNG decode to. */
  private static int[] pixels(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int[] out = new int[w * h];
    if (image.getType() == BufferedImage.TYPE_3BYTE_BGR) {
      byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
      for (int i = 0, j = 0; i < out.length; i++, j += 3) {
        out[i] = ((data[j + 2] & 0xFF) << 16) | ((data[j + 1] & 0xFF) << 8) | (data[j] & 0xFF);
      }
    } else if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
      byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
      for (int i = 0; i < out.length; i++) {
        int g = data[i] & 0xFF;
        out[i] = (g << 16) | (g << 8) | g;
      }
    } else {
      image.getRGB(0, 0, w, h, out, 0, w);
    }
    return out;
  }

  private static Decoded refuse(Preprocessed.Kind kind, String reason) {
    return new Decoded.Failed(new Preprocessed.Refused(kind, reason));
  }

  private static String magic(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(4, bytes.length); i++) {
      sb.append(String.format("%02X", bytes[i] & 0xFF));
    }
    return sb.toString();
  }
}
