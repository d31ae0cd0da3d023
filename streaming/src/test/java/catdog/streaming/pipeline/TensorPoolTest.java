package catdog.streaming.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TensorPoolTest {
  @Test
  void shouldReuseReturnedTensorsOfTheRightSizeOnly() {
    TensorPool pool = new TensorPool(2);
    float[] a = pool.take(12);
    pool.give(a);
    assertThat(pool.take(12)).isSameAs(a);
    pool.give(a);
    assertThat(pool.take(48)).as("a tensor for another model's size is not reused").isNotSameAs(a).hasSize(48);
    assertThat(pool.take(12)).as("the mismatched one was dropped").isNotSameAs(a);
  }

  @Test
  void shouldKeepNoMoreThanItsCapacity() {
    TensorPool pool = new TensorPool(1);
    float[] a = pool.take(4);
    float[] b = pool.take(4);
    pool.give(a);
    pool.give(b);
    assertThat(pool.take(4)).isSameAs(a);
    assertThat(pool.take(4)).isNotSameAs(b);
  }
}
