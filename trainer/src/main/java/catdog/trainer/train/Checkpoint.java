package catdog.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * A checkpoint file: a JSON header (model name, epoch, labels, ...) and named tensors, the block's
 * parameters under their DJL names and the optimizer state under {@code adam.*}. Written to a temporary
 * file and renamed, so a reader sees the old checkpoint or the new one, never half of one.
 */
public record Checkpoint(Map<String, String> header, Map<String, NDArray> tensors) {
  private static final String MAGIC = "catdog-checkpoint-1";
  private static final ObjectMapper JSON = new ObjectMapper();

  public static final String MODEL = "model";
  public static final String EPOCH = "epoch";
  public static final String LABELS = "labels";

  public String model() {
    return require(MODEL);
  }

  public int epoch() {
    return Integer.parseInt(require(EPOCH));
  }

  public String require(String key) {
    String v = header.get(key);
    if (v == null) {
      throw new IllegalStateException("checkpoint has no " + key);
    }
    return v;
  }

  /** The parameters of {@code block}, by name. */
  public static Map<String, NDArray> parameters(Block block) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      out.put(p.getKey(), p.getValue().getArray());
    }
    return out;
  }

  /**
   * Sets every parameter of {@code block} from the tensor of the same name. A missing name or a shape
   * mismatch is an error naming the parameter: loading the wrong model must never half-succeed.
   */
  public void loadInto(Block block) {
    for (Pair<String, Parameter> p : block.getParameters()) {
      NDArray saved = tensors.get(p.getKey());
      if (saved == null) {
        throw new IllegalArgumentException("checkpoint of " + header.get(MODEL) + " has no parameter " + p.getKey()
            + " (it has " + new TreeSet<>(tensors.keySet()) + ")");
      }
      NDArray target = p.getValue().getArray();
      if (!target.getShape().equals(saved.getShape())) {
        throw new IllegalArgumentException("parameter " + p.getKey() + " has shape " + saved.getShape() + " in the checkpoint, "
            + target.getShape() + " in the model");
      }
      target.set(saved.toType(target.getDataType(), false).toByteBuffer());
    }
  }

  public void write(Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)));
      out.writeUTF(MAGIC);
      out.writeUTF(JSON.writeValueAsString(header));
      out.writeInt(tensors.size());
      for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
        byte[] bytes = e.getValue().encode();
        out.writeUTF(e.getKey());
        out.writeInt(bytes.length);
        out.write(bytes);
      }
      out.flush();
      // Durable before the rename: after a crash the new name must not point at unwritten blocks.
      channel.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  public static Checkpoint read(Path file, NDManager manager) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      String magic = in.readUTF();
      if (!MAGIC.equals(magic)) {
        throw new IOException(file + " is not a catdog checkpoint");
      }
      Map<String, String> header = JSON.readValue(in.readUTF(), new TypeReference<LinkedHashMap<String, String>>() {});
      int n = in.readInt();
      Map<String, NDArray> tensors = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        String name = in.readUTF();
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        tensors.put(name, manager.decode(bytes));
      }
      return new Checkpoint(header, tensors);
    }
  }
}
