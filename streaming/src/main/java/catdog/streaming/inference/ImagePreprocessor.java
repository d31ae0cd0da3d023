package catdog.streaming.inference;

import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes an encoded JPEG or PNG and turns it into the tensor a model expects. Thread-safe and
 * stateless apart from its settings; the trainer and the service share it so that both see the same
 * pixels. The image header is read first and the limits applied before any pixel is decoded.
 */
public final class ImagePreprocessor {
  private final Preprocessing preprocessing;
  private final ImageLimits limits;
  // Per channel, scale / std and -mean / std: (v * scale - mean) / std as one multiply-add, no division.
  private final float[] gain;
  private final float[] bias;
  // Per channel (R, G, B), the normalised value of each byte: the native resize yields bytes.
  private final float[][] normalised;
  // Each thread's resize output, consumed before the call returns: one array per thread, not one per image.
  private final ThreadLocal<byte[]> resized;

  public ImagePreprocessor(Preprocessing preprocessing, ImageLimits limits) {
    this.preprocessing = preprocessing;
    this.limits = limits;
    float[] mean = preprocessing.mean();
    float[] std = preprocessing.std();
    this.gain = new float[std.length];
    this.bias = new float[std.length];
    for (int c = 0; c < std.length; c++) {
      gain[c] = preprocessing.scale() / std[c];
      bias[c] = -mean[c] / std[c];
    }
    this.resized = ThreadLocal.withInitial(() -> new byte[preprocessing.width() * preprocessing.height() * 3]);
    this.normalised = new float[std.length][256];
    for (int c = 0; c < std.length; c++) {
      for (int v = 0; v < 256; v++) {
        normalised[c][v] = v * gain[c] + bias[c];
      }
    }
  }

  public Preprocessing preprocessing() {
    return preprocessing;
  }

  /** Decodes and preprocesses one image into a fresh tensor. */
  public Preprocessed apply(byte[] encoded) {
    return preprocessInto(encoded, new float[preprocessing.tensorSize()]);
  }

  /**
   * Decodes and preprocesses one image into {@code dest}: the service's path. A colour model's JPEG has its size
   * read from the frame header and its pixels go from libjpeg-turbo to the resize in native memory, never through
   * a BufferedImage, with the same pixels, limits and refusals as {@link #decode} then {@link #writeTensor};
   * anything else takes that path.
   */
  public Preprocessed preprocessInto(byte[] encoded, float[] dest) {
    return preprocessInto(encoded, dest, 0);
  }

  /** Like {@link #preprocessInto(byte[], float[])}, at {@code offset} in {@code dest}: straight into a batch's input. */
  public Preprocessed preprocessInto(byte[] encoded, float[] dest, int offset) {
    boolean color = preprocessing.colorOrder() != Preprocessing.ColorOrder.GRAY;
    Optional<Dimension> size = color && NativeResize.available() && encoded.length <= limits.maxBytes()
        ? FastJpeg.size(encoded) : Optional.empty();
    if (size.isEmpty()) {
      Decoded decoded = decode(encoded);
      if (decoded instanceof Decoded.Failed f) {
        return f.refusal();
      }
      BufferedImage image = ((Decoded.Image) decoded).image();
      writeTensor(image, dest, offset);
      return new Preprocessed.Ready(dest, image.getWidth(), image.getHeight());
    }
    int w = size.get().width;
    int h = size.get().height;
    Optional<Preprocessed.Refused> refused = jpegRefusal(encoded, w, h);
    if (refused.isPresent()) {
      return refused.get();
    }
    int k = FastJpeg.reduction(w, h, preprocessing.width(), preprocessing.height());
    byte[] bgr = resized.get();
    int outW = preprocessing.width();
    int outH = preprocessing.height();
    // Whatever libjpeg-turbo's SIMD build refuses (CMYK, damage) gets OpenCV's chance to decode it or to say why not.
    boolean decoded = TurboJpeg.available() && TurboJpeg.decodeResized(encoded, w, h, k, outW, outH, bgr)
        || FastJpeg.decodeResized(encoded, k, outW, outH, bgr);
    if (!decoded) {
      return undecodableJpeg();
    }
    writeResized(bgr, dest, offset);
    return new Preprocessed.Ready(dest, w, h);
  }

  /** Decodes with the header checks and limits, without preprocessing: for augmentation in training. */
  public Decoded decode(byte[] encoded) {
    if (encoded.length == 0) {
      return refuse(Preprocessed.Kind.EMPTY_IMAGE, "the image has no bytes");
    }
    if (encoded.length > limits.maxBytes()) {
      return refuse(Preprocessed.Kind.TOO_MANY_BYTES, "the image has " + encoded.length + " bytes, over the limit of " + limits.maxBytes());
    }
    // A memory-cached stream: ImageIO.createImageInputStream would spool every image to a temp file.
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return refuse(Preprocessed.Kind.UNSUPPORTED_FORMAT, "not a JPEG or PNG image (magic bytes " + magic(encoded) + ")");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        Optional<Preprocessed.Refused> tooBig = tooManyPixels(reader.getWidth(0), reader.getHeight(0));
        if (tooBig.isPresent()) {
          return new Decoded.Failed(tooBig.get());
        }
        if (FastJpeg.available() && "JPEG".equalsIgnoreCase(reader.getFormatName())) {
          return decodeJpeg(encoded, reader.getWidth(0), reader.getHeight(0));
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

  private Decoded decodeJpeg(byte[] encoded, int width, int height) {
    if (!FastJpeg.complete(encoded)) {
      return new Decoded.Failed(truncatedJpeg());
    }
    int k = FastJpeg.reduction(width, height, preprocessing.width(), preprocessing.height());
    return FastJpeg.decode(encoded, k)
        .<Decoded>map(Decoded.Image::new)
        .orElseGet(() -> new Decoded.Failed(undecodableJpeg()));
  }

  private Optional<Preprocessed.Refused> jpegRefusal(byte[] encoded, int width, int height) {
    Optional<Preprocessed.Refused> tooBig = tooManyPixels(width, height);
    if (tooBig.isPresent()) {
      return tooBig;
    }
    return FastJpeg.complete(encoded) ? Optional.empty() : Optional.of(truncatedJpeg());
  }

  private Optional<Preprocessed.Refused> tooManyPixels(int width, int height) {
    long pixels = (long) width * height;
    return pixels <= limits.maxPixels() ? Optional.empty() : Optional.of(new Preprocessed.Refused(Preprocessed.Kind.TOO_MANY_PIXELS,
        "the header claims " + width + "x" + height + " = " + pixels + " pixels, over the limit of " + limits.maxPixels()));
  }

  private static Preprocessed.Refused truncatedJpeg() {
    return new Preprocessed.Refused(Preprocessed.Kind.UNDECODABLE_IMAGE,
        "corrupt JPEG: truncated, no end-of-image marker after the scan data");
  }

  private static Preprocessed.Refused undecodableJpeg() {
    return new Preprocessed.Refused(Preprocessed.Kind.UNDECODABLE_IMAGE, "corrupt JPEG: libjpeg could not decode it");
  }

  /** The outcome of {@link #decode(byte[])}. */
  public sealed interface Decoded {
    record Image(BufferedImage image) implements Decoded {}

    record Failed(Preprocessed.Refused refusal) implements Decoded {}
  }

  /**
   * Resizes a decoded image with half-pixel-centre bilinear sampling and writes the normalised CHW
   * tensor into {@code dest} from {@code offset}. Colour images of every layout take OpenCV's resize when it
   * loads (training and serving both come here, so both see the same pixels); grey images, and colour ones
   * without OpenCV, take the Java loop, which reads only the four source pixels around each output pixel.
   */
  public void writeTensor(BufferedImage image, float[] dest, int offset) {
    Raster raster = Raster.of(image);
    int w = image.getWidth();
    int h = image.getHeight();
    int outH = preprocessing.height();
    int outW = preprocessing.width();
    int plane = outH * outW;
    boolean gray = preprocessing.colorOrder() == Preprocessing.ColorOrder.GRAY;
    if (!gray && NativeResize.available()) {
      writeResized(NativeResize.bgr(bgrBytes(image, raster), w, h, outW, outH), dest, offset);
      return;
    }
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
    if (!gray && image.getType() == BufferedImage.TYPE_3BYTE_BGR) {
      writeBgr(((DataBufferByte) image.getRaster().getDataBuffer()).getData(), w, h, x0, x1, fx, dest, offset);
      return;
    }
    float[] rgb00 = new float[3];
    float[] rgb01 = new float[3];
    float[] rgb10 = new float[3];
    float[] rgb11 = new float[3];
    for (int y = 0; y < outH; y++) {
      float srcY = Math.max((y + 0.5f) * sy - 0.5f, 0f);
      int y0 = Math.min((int) srcY, h - 1);
      int y1 = Math.min(y0 + 1, h - 1);
      float fy = srcY - y0;
      for (int x = 0; x < outW; x++) {
        raster.rgb(x0[x], y0, rgb00);
        raster.rgb(x1[x], y0, rgb01);
        raster.rgb(x0[x], y1, rgb10);
        raster.rgb(x1[x], y1, rgb11);
        int at = offset + y * outW + x;
        if (gray) {
          float v = lerp(luma(rgb00), luma(rgb01), luma(rgb10), luma(rgb11), fx[x], fy);
          dest[at] = v * gain[0] + bias[0];
        } else {
          for (int c = 0; c < 3; c++) {
            float v = lerp(rgb00[c], rgb01[c], rgb10[c], rgb11[c], fx[x], fy);
            dest[at + c * plane] = v * gain[c] + bias[c];
          }
        }
      }
    }
  }

  /** Writes resized BGR bytes as normalised RGB planes. */
  private void writeResized(byte[] bgr, float[] dest, int offset) {
    int plane = preprocessing.height() * preprocessing.width();
    float[] r = normalised[0];
    float[] g = normalised[1];
    float[] b = normalised[2];
    for (int i = 0, j = 0; i < plane; i++, j += 3) {
      dest[offset + i] = r[bgr[j + 2] & 0xFF];
      dest[offset + plane + i] = g[bgr[j + 1] & 0xFF];
      dest[offset + 2 * plane + i] = b[bgr[j] & 0xFF];
    }
  }

  /** The image's pixels as BGR bytes, so that every colour layout takes the same resize; JPEG's are already. */
  private static byte[] bgrBytes(BufferedImage image, Raster raster) {
    int w = image.getWidth();
    int h = image.getHeight();
    if (image.getType() == BufferedImage.TYPE_3BYTE_BGR) {
      byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
      if (data.length == w * h * 3) {
        return data;
      }
    }
    byte[] out = new byte[w * h * 3];
    float[] rgb = new float[3];
    for (int y = 0, j = 0; y < h; y++) {
      for (int x = 0; x < w; x++, j += 3) {
        raster.rgb(x, y, rgb);
        out[j] = (byte) rgb[2];
        out[j + 1] = (byte) rgb[1];
        out[j + 2] = (byte) rgb[0];
      }
    }
    return out;
  }

  /**
   * Without OpenCV, what JPEG decodes to: the same interpolation as the general loop (in floats, so within
   * half a grey level of the native resize), reading the BGR bytes directly with the channels unrolled.
   */
  private void writeBgr(byte[] bgr, int w, int h, int[] x0, int[] x1, float[] fx, float[] dest, int offset) {
    int outH = preprocessing.height();
    int outW = preprocessing.width();
    int plane = outH * outW;
    float gainR = gain[0];
    float gainG = gain[1];
    float gainB = gain[2];
    float biasR = bias[0];
    float biasG = bias[1];
    float biasB = bias[2];
    float sy = (float) h / outH;
    for (int y = 0; y < outH; y++) {
      float srcY = Math.max((y + 0.5f) * sy - 0.5f, 0f);
      int y0 = Math.min((int) srcY, h - 1);
      int row0 = y0 * w * 3;
      int row1 = Math.min(y0 + 1, h - 1) * w * 3;
      float fy = srcY - y0;
      int at = offset + y * outW;
      for (int x = 0; x < outW; x++, at++) {
        int a0 = row0 + x0[x] * 3;
        int b0 = row0 + x1[x] * 3;
        int a1 = row1 + x0[x] * 3;
        int b1 = row1 + x1[x] * 3;
        float f = fx[x];
        dest[at] = lerp(bgr[a0 + 2] & 0xFF, bgr[b0 + 2] & 0xFF, bgr[a1 + 2] & 0xFF, bgr[b1 + 2] & 0xFF, f, fy) * gainR + biasR;
        dest[at + plane] = lerp(bgr[a0 + 1] & 0xFF, bgr[b0 + 1] & 0xFF, bgr[a1 + 1] & 0xFF, bgr[b1 + 1] & 0xFF, f, fy) * gainG + biasG;
        dest[at + 2 * plane] = lerp(bgr[a0] & 0xFF, bgr[b0] & 0xFF, bgr[a1] & 0xFF, bgr[b1] & 0xFF, f, fy) * gainB + biasB;
      }
    }
  }

  private static float lerp(float p00, float p01, float p10, float p11, float fx, float fy) {
    float top = p00 + (p01 - p00) * fx;
    float bottom = p10 + (p11 - p10) * fx;
    return top + (bottom - top) * fy;
  }

  /** ITU-R 601 luma, as PIL's {@code convert("L")} computes it. */
  private static float luma(float[] rgb) {
    return rgb[0] * 0.299f + rgb[1] * 0.587f + rgb[2] * 0.114f;
  }

  /** Reads one pixel as R, G, B floats in 0..255, straight from the layouts JPEG and PNG decode to. */
  private interface Raster {
    void rgb(int x, int y, float[] out);

    static Raster of(BufferedImage image) {
      int w = image.getWidth();
      switch (image.getType()) {
        case BufferedImage.TYPE_3BYTE_BGR -> {
          byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
          return (x, y, out) -> {
            int i = (y * w + x) * 3;
            out[0] = data[i + 2] & 0xFF;
            out[1] = data[i + 1] & 0xFF;
            out[2] = data[i] & 0xFF;
          };
        }
        case BufferedImage.TYPE_BYTE_GRAY -> {
          byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
          return (x, y, out) -> {
            float g = data[y * w + x] & 0xFF;
            out[0] = g;
            out[1] = g;
            out[2] = g;
          };
        }
        default -> {
          return (x, y, out) -> {
            int p = image.getRGB(x, y);
            out[0] = (p >> 16) & 0xFF;
            out[1] = (p >> 8) & 0xFF;
            out[2] = p & 0xFF;
          };
        }
      }
    }
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
