package catdog.streaming.inference;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Bilinear resizing of 8-bit BGR pixels with OpenCV: half-pixel centres like the Java loop it replaces, SIMD
 * instead of a scalar loop (about 0.3 ms per full-size photo, a quarter of its decode), and OpenCV's
 * bit-exact fixed-point variant, so that training and serving machines with different CPUs compute the same
 * pixels. Available whenever {@link FastJpeg} is.
 */
final class NativeResize {
  private NativeResize() {}

  static boolean available() {
    return FastJpeg.available();
  }

  /** {@code bgr} (w × h × 3, row-major) resized to outW × outH × 3, rounded to bytes. */
  static byte[] bgr(byte[] bgr, int w, int h, int outW, int outH) {
    Mat src = new Mat(h, w, CvType.CV_8UC3);
    try {
      src.put(0, 0, bgr);
      byte[] out = new byte[outW * outH * 3];
      bgr(src, outW, outH, out);
      return out;
    } finally {
      src.release();
    }
  }

  /** A CV_8UC3 image resized into {@code out}, outW × outH × 3 bytes; {@code src} stays the caller's. */
  static void bgr(Mat src, int outW, int outH, byte[] out) {
    Mat dst = new Mat();
    try {
      Imgproc.resize(src, dst, new Size(outW, outH), 0, 0, Imgproc.INTER_LINEAR_EXACT);
      dst.get(0, 0, out);
    } finally {
      dst.release();
    }
  }
}
