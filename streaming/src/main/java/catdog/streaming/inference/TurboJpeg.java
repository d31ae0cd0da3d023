package catdog.streaming.inference;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.typesafe.config.ConfigFactory;
import java.nio.ByteBuffer;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JPEG decoding through the system's libjpeg-turbo (Debian's {@code libturbojpeg0}), called through JNA: the
 * same decoder as OpenCV's bundled one, built with its SIMD code, where OpenCV's build runs the plain C IDCT,
 * colour conversion and upsampling. Both use the default ISLOW IDCT and fancy upsampling, and give the same
 * bytes: on the 1,100 photos of {@code fullsize/} and {@code val/}, and in {@code TurboJpegTest} on the sample
 * photos and synthetic images at every DCT reduction. This one decodes and resizes a full-size photo about 1.4
 * times as fast (README, Performance). Optional: without the library, or
 * with {@code catdog.decode.turbojpeg = false}, {@link FastJpeg} decodes through OpenCV.
 */
final class TurboJpeg {
  private static final Logger log = LoggerFactory.getLogger(TurboJpeg.class);
  private static final int TJPF_BGR = 1;
  // Any warning fails the call, so that a warning followed by a fatal error cannot pass as a warning.
  private static final int TJFLAG_STOPONWARNING = 8192;
  private static final boolean AVAILABLE = load();

  // Each thread's decoded (scaled) pixels, grown to the largest image it has seen; direct, so OpenCV reads it in place.
  private static final ThreadLocal<ByteBuffer> PIXELS = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(0));

  private TurboJpeg() {}

  static boolean available() {
    return AVAILABLE;
  }

  /**
   * Decodes {@code jpeg} (width × height, as its frame header says) at 1/k scale and resizes it into
   * {@code out}, outW × outH × 3 BGR bytes: the same pixels as OpenCV's {@code imdecode} at that reduction
   * followed by {@link NativeResize#bgr}. False for anything but a clean decode (a colour space it does not
   * turn into BGR, such as CMYK, damage it could recover from, or data it cannot decode): OpenCV then
   * decodes what it can and refuses the rest, as it did before this decoder.
   */
  static boolean decodeResized(byte[] jpeg, int width, int height, int k, int outW, int outH, byte[] out) {
    int w = ceilDiv(width, k);
    int h = ceilDiv(height, k);
    ByteBuffer pixels = pixels(w * h * 3);
    // A fresh decompressor per image: libjpeg keeps the tables of the last image it read, so a reused one
    // would decode a JPEG that lacks its own tables with another image's, where OpenCV refuses it.
    Pointer handle = tjInitDecompress();
    if (handle == null) {
      return false;
    }
    try {
      // TurboJPEG picks the largest scaling factor whose result fits w × h: exactly 1/k, as ceil(width / k) = w.
      if (tjDecompress2(handle, jpeg, new NativeLong(jpeg.length), pixels, w, 0, h, TJPF_BGR, TJFLAG_STOPONWARNING) != 0) {
        return false;
      }
    } finally {
      tjDestroy(handle);
    }
    Mat mat = new Mat(h, w, CvType.CV_8UC3, pixels);
    try {
      NativeResize.bgr(mat, outW, outH, out);
      return true;
    } finally {
      mat.release();
    }
  }

  private static ByteBuffer pixels(int bytes) {
    ByteBuffer buffer = PIXELS.get();
    if (buffer.capacity() < bytes) {
      buffer = ByteBuffer.allocateDirect(bytes);
      PIXELS.set(buffer);
    }
    return buffer;
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  // A process-wide choice of native library, like OpenCV's loading, so read once here rather than through Settings.
  private static boolean load() {
    if (!ConfigFactory.load().getBoolean("catdog.decode.turbojpeg")) {
      log.info("JPEG decoding through OpenCV's libjpeg (catdog.decode.turbojpeg is off)");
      return false;
    }
    try {
      Native.register(TurboJpeg.class, "turbojpeg");
      Pointer probe = tjInitDecompress();
      if (probe == null) {
        throw new IllegalStateException("tjInitDecompress returned no handle");
      }
      tjDestroy(probe);
      return true;
    } catch (Throwable e) {
      // Not fatal: OpenCV's libjpeg decodes the same pixels, only slower.
      log.info("JPEG decoding through OpenCV's libjpeg: the system's libturbojpeg is unavailable ({}); "
          + "install libturbojpeg0 to decode about 1.4 times as fast", e.toString());
      return false;
    }
  }

  private static native Pointer tjInitDecompress();

  private static native int tjDestroy(Pointer handle);

  private static native int tjDecompress2(Pointer handle, byte[] jpegBuf, NativeLong jpegSize, ByteBuffer dstBuf, int width,
      int pitch, int height, int pixelFormat, int flags);
}
