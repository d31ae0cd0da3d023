package catdog.trainer.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlocksTest {

  @Test
  void shouldPredictPoolOutputShapesAsTheEngineComputesThem() {
    List<Pool2d> pools = List.of(
        Pool2d.max(2, 2), Pool2d.avg(2, 2), Pool2d.max(3, 1),
        Pool2d.max(new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}),
        Pool2d.avg(new int[] {3, 2}, new int[] {2, 3}, new int[] {1, 1}),
        Pool2d.avg(new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}));
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.randomUniform(0, 1, new Shape(2, 3, 9, 8));
      for (Pool2d pool : pools) {
        Shape predicted = pool.getOutputShapes(new Shape[] {x.getShape()})[0];
        assertThat(forward(manager, pool, x).getShape()).as(pool.toString()).isEqualTo(predicted);
      }
    }
  }

  @Test
  void shouldCountPaddedZerosInTheAverage() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray ones = manager.ones(new Shape(1, 1, 2, 2));
      int[] k = {2, 2};
      int[] s = {2, 2};
      int[] p = {1, 1};
      // Each 2x2 window at the corner sees one real 1 and three padded zeros.
      assertThat(forward(manager, Pool2d.avg(k, s, p), ones).toFloatArray()).containsOnly(0.25f);
    }
  }

  @Test
  void shouldRefusePaddingWiderThanHalfTheWindow() {
    assertThrows(IllegalArgumentException.class, () -> Pool2d.max(new int[] {2, 2}, new int[] {1, 1}, new int[] {2, 0}));
  }

  @Test
  void shouldApplyTheNamedActivationAndFlattenInCOrder() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.create(new float[] {-2, 0, 3, -1}, new Shape(1, 1, 2, 2));
      assertThat(forward(manager, Act.relu(), x).toFloatArray()).containsExactly(0, 0, 3, 0);
      assertThat(forward(manager, Act.sigmoid(), x).toFloatArray()[1]).isEqualTo(0.5f);
      NDArray flat = forward(manager, new Flatten(), manager.arange(24f).reshape(2, 3, 2, 2));
      assertThat(flat.getShape()).isEqualTo(new Shape(2, 12));
      assertThat(flat.get(1).toFloatArray()[0]).isEqualTo(12f);
    }
  }

  @Test
  void shouldTrackRunningStatisticsAndSurviveSaveAndLoad() throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      SequentialBlock net = new SequentialBlock()
          .add(Conv2d.builder().setFilters(4).setKernelShape(new Shape(3, 3)).build())
          .add(new BatchNorm2d()).add(Act.relu()).add(Pool2d.max(2, 2)).add(new Flatten());
      Shape in = new Shape(5, 2, 6, 6);
      net.initialize(manager, DataType.FLOAT32, in);
      NDArray x = manager.randomNormal(3, 2, in, DataType.FLOAT32);
      NDArray runningMean = net.getParameters().get("02BatchNorm2d_runningMean").getArray();
      assertThat(runningMean.toFloatArray()).containsOnly(0f);

      NDArray convOut = net.getChildren().get(0).getValue().forward(new ParameterStore(manager, false), new NDList(x), false)
          .singletonOrThrow();
      float[] batchMean = convOut.mean(new int[] {3}).mean(new int[] {2}).mean(new int[] {0}).toFloatArray();
      net.forward(new ParameterStore(manager, false), new NDList(x), true);
      // DJL's momentum 0.9 keeps 90% of the old statistic: from 0, one step lands on a tenth of the batch mean.
      float[] moved = runningMean.toFloatArray();
      for (int c = 0; c < moved.length; c++) {
        assertThat(moved[c]).isCloseTo(0.1f * batchMean[c], org.assertj.core.data.Offset.offset(1e-4f));
      }

      NDArray before = net.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      net.saveParameters(new DataOutputStream(bytes));
      SequentialBlock copy = new SequentialBlock()
          .add(Conv2d.builder().setFilters(4).setKernelShape(new Shape(3, 3)).build())
          .add(new BatchNorm2d()).add(Act.relu()).add(Pool2d.max(2, 2)).add(new Flatten());
      copy.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
      NDArray after = copy.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
      assertThat(after.toFloatArray()).containsExactly(before.toFloatArray());
    }
  }

  private static NDArray forward(NDManager manager, Block block, NDArray x) {
    block.initialize(manager, DataType.FLOAT32, x.getShape());
    return block.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
  }
}
