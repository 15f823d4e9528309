package org.discrete4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FactorizedModelsTest {

    @Test
    void bernoulliLogZAndMarginalsMatchEnumeration() {
        FactorizedBernoulli m = FactorizedBernoulli.of(new double[] {-2, 0, 3.5, 0.25, -0.7, 1e-3, 12, -9});
        Enumeration e = Enumeration.of(m);
        assertThat(m.logZ()).isCloseTo(e.logZ(), within(1e-12 * Math.abs(e.logZ())));
        double[] p = e.probabilities();
        double[] marg = m.marginals();
        for (int i = 0; i < 8; i++) {
            double s = 0;
            for (int st = 0; st < p.length; st++) {
                if (((st >> (7 - i)) & 1) == 1) { // site 0 is the most significant digit
                    s += p[st];
                }
            }
            assertThat(marg[i]).isCloseTo(s, within(1e-12));
        }
    }

    @Test
    void categoricalLogZAndProbabilitiesMatchEnumeration() {
        FactorizedCategorical m = FactorizedCategorical.random(4, 5, 2.0, 7);
        Enumeration e = Enumeration.of(m);
        assertThat(m.logZ()).isCloseTo(e.logZ(), within(1e-12 * Math.abs(e.logZ())));
        double[] p = e.probabilities();
        double[][] marg = m.probabilities();
        int[] x = new int[4];
        double[][] s = new double[4][5];
        for (int st = 0; st < p.length; st++) {
            Enumeration.decode(st, 4, 5, x, 0);
            for (int i = 0; i < 4; i++) {
                s[i][x[i]] += p[st];
            }
        }
        for (int i = 0; i < 4; i++) {
            for (int v = 0; v < 5; v++) {
                assertThat(marg[i][v]).isCloseTo(s[i][v], within(1e-12));
            }
        }
    }

    /** Large logits: log Z stays finite and exact where exp overflows. */
    @Test
    void logZIsStableForLargeLogits() {
        assertThat(FactorizedBernoulli.of(new double[] {1e4, -1e4}).logZ()).isEqualTo(1e4);
        assertThat(FactorizedCategorical.of(new double[][] {{1e4, 1e4, -1e4}}).logZ())
                .isCloseTo(1e4 + Math.log(2), within(1e-9));
    }

    /**
     * Exact draws: every frequency within 5 standard errors sqrt(p(1−p)/n) of its probability. With 50 frequencies
     * checked, a correct sampler fails with probability below 50 · 5.7e-7 ≈ 3e-5 (two-sided normal tail at 5 σ).
     */
    @Test
    void samplesHaveTheExactFrequencies() {
        int n = 100_000;
        FactorizedBernoulli b = FactorizedBernoulli.random(10, 1.5, 3);
        int[] xb = b.sample(n, new SplittableRandom(4));
        double[] pb = b.marginals();
        for (int i = 0; i < 10; i++) {
            int count = 0;
            for (int s = 0; s < n; s++) {
                count += xb[s * 10 + i];
            }
            assertThat((double) count / n).isCloseTo(pb[i], within(5 * Math.sqrt(pb[i] * (1 - pb[i]) / n)));
        }
        FactorizedCategorical c = FactorizedCategorical.random(8, 5, 1.5, 5);
        int[] xc = c.sample(n, new SplittableRandom(6));
        double[][] pc = c.probabilities();
        for (int i = 0; i < 8; i++) {
            int[] counts = new int[5];
            for (int s = 0; s < n; s++) {
                counts[xc[s * 8 + i]]++;
            }
            for (int v = 0; v < 5; v++) {
                double p = pc[i][v];
                assertThat((double) counts[v] / n).isCloseTo(p, within(5 * Math.sqrt(p * (1 - p) / n) + 1e-12));
            }
        }
        // Same seed, same draws.
        assertThat(c.sample(50, new SplittableRandom(6))).containsExactly(java.util.Arrays.copyOf(xc, 400));
    }

    @Test
    void badParametersAreRejected() {
        assertThatThrownBy(() -> FactorizedBernoulli.of(new double[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one site");
        assertThatThrownBy(() -> FactorizedBernoulli.of(new double[] {0, Double.NaN}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("logits[1] must be finite");
        assertThatThrownBy(() -> FactorizedCategorical.of(new double[][] {{1}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2 values");
        assertThatThrownBy(() -> FactorizedCategorical.of(new double[][] {{1, 2}, {1, 2, 3}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("logits[1] must have length 2");
        assertThatThrownBy(() -> FactorizedCategorical.of(new double[][] {{1, Double.NEGATIVE_INFINITY}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be finite");
        assertThatThrownBy(() -> FactorizedCategorical.random(3, 1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("numValues must be >= 2");
        assertThatThrownBy(() -> FactorizedBernoulli.random(0, 1, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dim must be >= 1");
    }
}
