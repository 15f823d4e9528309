package org.discrete4j.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FastExpTest {

    /** Relative error against Math.exp on a fine grid over the whole range and at random points. */
    @Test
    void matchesMathExpToRelativeOneInATrillion() {
        int n = 1_416_001;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = -FastExp.LIMIT + i * 0.001;
        }
        double[] out = new double[n];
        FastExp.exp(x, 0, out, n);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            worst = Math.max(worst, Math.abs(out[i] / Math.exp(x[i]) - 1));
        }
        assertThat(worst).isLessThan(1e-12);

        SplittableRandom rng = new SplittableRandom(3);
        double[] y = new double[10_000];
        for (int i = 0; i < y.length; i++) {
            y[i] = rng.nextDouble(-50, 50);
        }
        double[] t = new double[y.length];
        FastExp.expNegAbs(y, t, y.length);
        double[] shifted = new double[y.length];
        FastExp.exp(y, 7.5, shifted, y.length);
        for (int i = 0; i < y.length; i++) {
            assertThat(t[i] / Math.exp(-Math.abs(y[i])) - 1).isBetween(-1e-12, 1e-12);
            assertThat(shifted[i] / Math.exp(y[i] - 7.5) - 1).isBetween(-1e-12, 1e-12);
        }
    }

    /** Beyond ±708 the result saturates (finite, positive); NaN stays NaN; only the first n entries are written. */
    @Test
    void saturatesOutsideTheRangeAndKeepsNaN() {
        double[] x = {-1e300, Double.NEGATIVE_INFINITY, 1e4, Double.POSITIVE_INFINITY, Double.NaN, 0, 5};
        double[] out = new double[x.length];
        out[6] = -1;
        FastExp.exp(x, 0, out, 6);
        assertThat(out[0]).isPositive().isLessThan(1e-307);
        assertThat(out[1]).isEqualTo(out[0]);
        assertThat(out[2]).isFinite().isGreaterThan(1e307);
        assertThat(out[3]).isEqualTo(out[2]);
        assertThat(out[4]).isNaN();
        assertThat(out[5]).isEqualTo(1.0);
        assertThat(out[6]).isEqualTo(-1);
        double[] t = new double[x.length];
        FastExp.expNegAbs(x, t, x.length);
        assertThat(t[2]).isPositive().isLessThan(1e-307);
        assertThat(t[4]).isNaN();
        assertThat(t[5]).isEqualTo(1.0);
    }
}
