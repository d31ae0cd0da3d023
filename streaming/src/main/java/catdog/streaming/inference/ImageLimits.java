package catdog.streaming.inference;

/**
 * Bounds on what the service agrees to decode. The pixel bound is checked from the image header before
 * any pixel is decoded, so a decompression bomb costs a header read, not gigabytes of heap.
 */
public record ImageLimits(int maxBytes, long maxPixels) {
  public ImageLimits {
    if (maxBytes < 1 || maxPixels < 1) {
      throw new IllegalArgumentException("image limits must be positive");
    }
  }

  /** 10 MiB and 40 megapixels: far above any photo a phone takes, far below a bomb. */
  public static ImageLimits defaults() {
    return new ImageLimits(10 * 1024 * 1024, 40_000_000L);
  }
}
