package catdog.trainer.cli;

import catdog.trainer.train.TrainConfig;
import catdog.trainer.train.TrainingRun;

/** Writes model.onnx at the end of training, through the exporter (catdog.trainer.export). */
final class Export {
  private Export() {}

  static void afterTraining(TrainingRun.Result result, TrainConfig cfg) {
    System.out.println("model.onnx: the exporter has not landed yet; run `catdog export --checkpoint " + cfg.out() + "` once it has");
  }
}
