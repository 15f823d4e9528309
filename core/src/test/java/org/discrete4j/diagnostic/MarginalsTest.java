package org.discrete4j.diagnostic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MarginalsTest {

    @Test
    void countsSelectedChainsAndScoresAgainstAReference() {
        // 3 chains of 2 sites with 3 values; count chains 1 and 2 only.
        int[] x = {2, 2, 0, 1, 0, 2};
        Marginals m = new Marginals(2, 3);
        m.add(x, 1, 2);
        assertThat(m.count()).isEqualTo(2);
        assertThat(m.probabilities()).containsExactly(1, 0, 0, 0, 0.5, 0.5);
        double[] uniform = {1 / 3.0, 1 / 3.0, 1 / 3.0, 1 / 3.0, 1 / 3.0, 1 / 3.0};
        double expected = ((4 / 9.0) + 2 * (1 / 9.0) + (1 / 9.0) + 2 * (1 / 36.0)) / 6;
        assertThat(m.meanSquaredError(uniform)).isCloseTo(expected, within(1e-15));
        assertThat(m.meanSquaredError(m.probabilities())).isZero();
        m.clear();
        assertThat(m.count()).isZero();
        assertThatThrownBy(m::probabilities).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void badInput() {
        Marginals m = new Marginals(2, 2);
        assertThatThrownBy(() -> m.add(new int[] {0, 3}, 0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside");
        assertThatThrownBy(() -> m.add(new int[] {0, 1}, 0, 2)).isInstanceOf(IllegalArgumentException.class);
        m.add(new int[] {0, 1}, 0, 1);
        assertThatThrownBy(() -> m.meanSquaredError(new double[3])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Marginals(0, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
