package catdog.trainer.data;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * An unsigned-byte IDX file (the MNIST format), optionally gzipped: a magic number {@code 0x0000080D}
 * where D is the number of dimensions, D big-endian sizes, then the bytes.
 */
public record IdxFile(int[] dims, byte[] data) {
  private static final int UNSIGNED_BYTE = 0x08;

  public static IdxFile read(Path file) throws IOException {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
      raw.mark(2);
      boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
      raw.reset();
      try (DataInputStream in = new DataInputStream(gzip ? new GZIPInputStream(raw) : raw)) {
        int magic = in.readInt();
        if ((magic >>> 16) != 0 || ((magic >> 8) & 0xFF) != UNSIGNED_BYTE) {
          throw new IOException(file + ": not an unsigned-byte IDX file (magic 0x" + Integer.toHexString(magic) + ")");
        }
        int[] dims = new int[magic & 0xFF];
        long total = 1;
        for (int i = 0; i < dims.length; i++) {
          dims[i] = in.readInt();
          total *= dims[i];
        }
        if (dims.length == 0 || total > Integer.MAX_VALUE) {
          throw new IOException(file + ": bad IDX dimensions " + Arrays.toString(dims));
        }
        byte[] data = new byte[(int) total];
        try {
          in.readFully(data);
        } catch (EOFException e) {
          throw new IOException(file + ": truncated, expected " + total + " bytes for dimensions " + Arrays.toString(dims), e);
        }
        return new IdxFile(dims, data);
      }
    }
  }

  /** Labels of a 1-dimensional file. */
  public int[] labels() {
    if (dims.length != 1) {
      throw new IllegalStateException("labels need a 1-d IDX file, this one has dimensions " + Arrays.toString(dims));
    }
    int[] out = new int[data.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = data[i] & 0xFF;
    }
    return out;
  }

  /** Grey images of a 3-dimensional file (count × rows × columns). */
  public List<BufferedImage> images() {
    if (dims.length != 3) {
      throw new IllegalStateException("images need a 3-d IDX file, this one has dimensions " + Arrays.toString(dims));
    }
    int rows = dims[1];
    int cols = dims[2];
    List<BufferedImage> out = new ArrayList<>(dims[0]);
    for (int i = 0; i < dims[0]; i++) {
      BufferedImage image = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_GRAY);
      byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
      System.arraycopy(data, i * rows * cols, pixels, 0, rows * cols);
      out.add(image);
    }
    return out;
  }
}
