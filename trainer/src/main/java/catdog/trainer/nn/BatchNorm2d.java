package catdog.trainer.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Batch normalisation over the channel axis of NCHW input, computed by DJL's own
 * {@link BatchNorm#batchNorm} kernel. It exists because DJL's {@code BatchNorm} block keeps its epsilon
 * private, and the exporter needs it to write ONNX {@code BatchNormalization} (or fold it into a conv).
 *
 * <p>Parameters, in DJL's order and with DJL's types (so DJL's default initialisers apply: gamma 1,
 * beta 0, running mean 0, running variance 1): {@code gamma}, {@code beta}, {@code runningMean},
 * {@code runningVar}. Training updates the running statistics with {@code momentum}, as DJL's does.
 */
public final class BatchNorm2d extends AbstractBlock {
  private static final byte VERSION = 1;

  private final float epsilon;
  private final float momentum;
  private final Parameter gamma;
  private final Parameter beta;
  private final Parameter runningMean;
  private final Parameter runningVar;

  public BatchNorm2d() {
    this(1e-5f, 0.9f);
  }

  public BatchNorm2d(float epsilon, float momentum) {
    super(VERSION);
    if (!(epsilon > 0) || !(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("need epsilon > 0 and 0 <= momentum < 1, was " + epsilon + ", " + momentum);
    }
    this.epsilon = epsilon;
    this.momentum = momentum;
    gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA).optRequiresGrad(true).build());
    beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA).optRequiresGrad(true).build());
    runningMean = addParameter(Parameter.builder().setName("runningMean").setType(Parameter.Type.RUNNING_MEAN)
        .optRequiresGrad(false).build());
    runningVar = addParameter(Parameter.builder().setName("runningVar").setType(Parameter.Type.RUNNING_VAR)
        .optRequiresGrad(false).build());
  }

  public float epsilon() {
    return epsilon;
  }

  public float momentum() {
    return momentum;
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    Device device = x.getDevice();
    return BatchNorm.batchNorm(x,
        store.getValue(runningMean, device, training),
        store.getValue(runningVar, device, training),
        store.getValue(gamma, device, training),
        store.getValue(beta, device, training),
        1, momentum, epsilon, training);
  }

  @Override
  public void prepare(Shape[] inputShapes) {
    Shape channels = new Shape(inputShapes[0].get(1));
    for (Parameter p : new Parameter[] {gamma, beta, runningMean, runningVar}) {
      p.setShape(channels);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  public String toString() {
    return "BatchNorm2d(eps " + epsilon + ", momentum " + momentum + ")";
  }
}
