package catdog.streaming.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/** Real cat and dog JPEGs from the validation set, and the bad inputs the service must refuse. */
public final class TestImages {
  private static final List<String> NAMES = List.of(
      "cat.1004.jpg", "cat.10058.jpg", "cat.1006.jpg", "cat.10100.jpg",
      "dog.10034.jpg", "dog.10135.jpg", "dog.10192.jpg", "dog.10203.jpg");

  private TestImages() {}

  /** File name → JPEG bytes, cats first. */
  public static Map<String, byte[]> all() {
    Map<String, byte[]> images = new LinkedHashMap<>();
    for (String name : NAMES) {
      images.put(name, jpeg(name));
    }
    return images;
  }

  public static byte[] jpeg(String name) {
    try (InputStream in = TestImages.class.getResourceAsStream("/images/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test image " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Class index from the file name: cat → 0, dog → 1. */
  public static int knownLabel(String name) {
    return name.startsWith("dog") ? 1 : 0;
  }

  /** The first half of a real JPEG: the header is fine, the scan data stops. */
  public static byte[] truncatedJpeg() {
    byte[] whole = jpeg(NAMES.get(0));
    return Arrays.copyOf(whole, whole.length / 2);
  }

  public static byte[] textFile() {
    return "this is a text file, not an image\n".getBytes(StandardCharsets.UTF_8);
  }

  /** A PNG whose header claims width × height pixels, with no real pixel data: a decompression bomb's head. */
  public static byte[] pngHeaderClaiming(int width, int height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(typeBytes);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
