package catdog.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import catdog.trainer.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryCommandTest {

  /** The homework's arithmetic: a valid k×k convolution gives n − k + 1, a 2/2 pool ⌊n/2⌋. */
  private static List<String> homeworkShapes() {
    List<String> shapes = new ArrayList<>(List.of("3×128×128"));
    int n = 128;
    int[][] convs = {{6, 5}, {16, 5}, {32, 4}, {32, 4}, {32, 5}};
    for (int i = 0; i < convs.length; i++) {
      n = n - convs[i][1] + 1;
      shapes.add(convs[i][0] + "×" + n + "×" + n); // conv
      shapes.add(convs[i][0] + "×" + n + "×" + n); // ReLU
      if (i < 4) {
        n = n / 2;
        shapes.add(convs[i][0] + "×" + n + "×" + n);
      }
    }
    shapes.addAll(List.of("32", "16", "16", "2"));
    return shapes;
  }

  @Test
  void shouldWalkTheSeedNetworkAsTheHomeworkDoes() {
    String summary = SummaryCommand.render(ModelSpec.require("catdog-seed"));
    List<String> shapes = new ArrayList<>();
    for (String line : summary.split("\n")) {
      String[] cols = line.trim().split("\\s{2,}");
      if ((cols.length == 2 && cols[0].equals("input")) || (cols.length >= 3 && cols[0].matches("\\d+"))) {
        shapes.add(cols[0].equals("input") ? cols[1] : cols[2]);
      }
    }
    assertThat(shapes).containsExactlyElementsOf(homeworkShapes());
    assertThat(shapes.get(1)).isEqualTo("6×124×124");
    assertThat(shapes.get(3)).isEqualTo("6×62×62");
    // 3·6·25+6, 6·16·25+16, 16·32·16+32, 32·32·16+32, 32·32·25+32, 32·16+16, 16·2+2
    long params = 456 + 2416 + 8224 + 16416 + 25632 + 528 + 34;
    assertThat(summary).contains(String.format("total: %,d parameters", params));
  }
}
