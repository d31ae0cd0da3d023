package catdog.trainer.train;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** {@code curves.png}: loss and accuracy per epoch, train and val, side by side. */
final class Curves {
  private static final int W = 640;
  private static final int H = 420;

  private Curves() {}

  static void write(Path png, String title, List<EpochMetrics> rows) throws IOException {
    if (rows.isEmpty()) {
      return;
    }
    double[] epochs = rows.stream().mapToDouble(EpochMetrics::epoch).toArray();
    XYChart loss = chart(title + ": loss", "loss");
    loss.addSeries("train", epochs, rows.stream().mapToDouble(EpochMetrics::trainLoss).toArray()).setMarker(SeriesMarkers.CIRCLE);
    loss.addSeries("val", epochs, rows.stream().mapToDouble(EpochMetrics::valLoss).toArray()).setMarker(SeriesMarkers.CIRCLE);
    XYChart acc = chart(title + ": accuracy", "accuracy");
    acc.addSeries("train", epochs, rows.stream().mapToDouble(EpochMetrics::trainAccuracy).toArray()).setMarker(SeriesMarkers.CIRCLE);
    acc.addSeries("val", epochs, rows.stream().mapToDouble(EpochMetrics::valAccuracy).toArray()).setMarker(SeriesMarkers.CIRCLE);
    BufferedImage both = new BufferedImage(2 * W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = both.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 2 * W, H);
    g.drawImage(BitmapEncoder.getBufferedImage(loss), 0, 0, null);
    g.drawImage(BitmapEncoder.getBufferedImage(acc), W, 0, null);
    g.dispose();
    Path tmp = png.resolveSibling(png.getFileName() + ".tmp");
    ImageIO.write(both, "png", tmp.toFile());
    Files.move(tmp, png, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static XYChart chart(String title, String y) {
    XYChart c = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle("epoch").yAxisTitle(y).build();
    c.getStyler().setChartBackgroundColor(Color.WHITE);
    return c;
  }
}
