package org.discrete4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RbmTest {

    /** Exact log Z over the hidden units against brute force over all 2^V visible states. */
    @Test
    void logZMatchesEnumerationOfVisibleStates() {
        for (int[] shape : new int[][] {{10, 1}, {10, 4}, {8, 7}, {3, 12}}) {
            Rbm m = Rbm.random(shape[0], shape[1], 1.0, 1.0, 11 + shape[1]);
            double exact = Enumeration.of(m).logZ();
            assertThat(m.logZ()).as("V=%d H=%d", shape[0], shape[1]).isCloseTo(exact, within(1e-10 * Math.abs(exact)));
        }
    }

    /** Large weights: the log-space sum must stay finite and right where exp(log p̃) overflows. */
    @Test
    void logZIsStableForLargeWeights() {
        Rbm m = Rbm.random(9, 5, 300.0, 100.0, 3);
        double exact = Enumeration.of(m).logZ();
        assertThat(exact).isGreaterThan(700); // beyond exp's range
        assertThat(m.logZ()).isCloseTo(exact, within(1e-9 * exact));
    }

    @Test
    void logZRefusesTooManyHiddenUnits() {
        Rbm m = Rbm.random(2, Rbm.MAX_ENUMERATED_HIDDEN + 1, 1);
        assertThatThrownBy(m::logZ).isInstanceOf(IllegalStateException.class).hasMessageContaining("H = 21");
    }

    @Test
    void randomIsDeterministicInTheSeedWithGwgDefaults() {
        Rbm a = Rbm.random(100, 25, 42);
        Rbm b = Rbm.random(100, 25, 42);
        Rbm c = Rbm.random(100, 25, 43);
        assertThat(a.weights()).isDeepEqualTo(b.weights());
        assertThat(a.visibleBias()).containsExactly(b.visibleBias());
        assertThat(a.weights()).isNotEqualTo(c.weights());
        // W ~ N(0, 0.05): the sample variance of 2,500 draws is within 5 % (its sd is 0.05·√(2/2500) = 2.8 %).
        double s = 0;
        for (double[] row : a.weights()) {
            for (double w : row) {
                s += w * w;
            }
        }
        assertThat(s / 2500).isCloseTo(0.05, within(0.05 * 0.1));
    }

    @Test
    void factoryCopiesItsArrays() {
        double[][] w = {{1, 2, 3}, {4, 5, 6}};
        double[] b = {0.1, 0.2, 0.3};
        double[] c = {-1, 1};
        Rbm m = Rbm.of(w, b, c);
        w[0][0] = 99;
        b[0] = 99;
        assertThat(m.weights()[0][0]).isEqualTo(1);
        assertThat(m.visibleBias()[0]).isEqualTo(0.1);
        assertThat(m.visible()).isEqualTo(3);
        assertThat(m.hidden()).isEqualTo(2);
        // log p̃(v = 101) = b0 + b2 + softplus(c + W(1,0,1)) by hand.
        double[] out = new double[1];
        m.logProb(new int[] {1, 0, 1}, 1, out);
        double want = 0.4 + Math.log1p(Math.exp(-1 + 4)) + Math.log1p(Math.exp(1 + 10));
        assertThat(out[0]).isCloseTo(want, within(1e-12));
    }

    /** The blocked batched gradient equals the one-chain-at-a-time gradient for a chain count across blocks. */
    @Test
    void batchedGradientEqualsPerChainGradient() {
        Rbm m = Rbm.random(37, 13, 0.5, 1.0, 8);
        int chains = 21;
        int[] x = EnergyModelContractTest.randomStates(m, chains, 9);
        double[] lp = new double[chains];
        float[] g = new float[chains * 37 * 2];
        m.logProbAndGradient(x, chains, lp, g);
        double[] one = new double[1];
        float[] g1 = new float[37 * 2];
        for (int c = 0; c < chains; c++) {
            m.logProbAndGradient(java.util.Arrays.copyOfRange(x, c * 37, (c + 1) * 37), 1, one, g1);
            assertThat(lp[c]).isEqualTo(one[0]);
            assertThat(java.util.Arrays.copyOfRange(g, c * 74, (c + 1) * 74)).containsExactly(g1);
        }
    }

    @Test
    void badParametersAreRejected() {
        double[][] w = {{1, 2}, {3, 4}, {5, 6}};
        double[] b = {0, 0};
        double[] c = {0, 0, 0};
        assertThatThrownBy(() -> Rbm.of(new double[0][], b, c)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("H >= 1");
        assertThatThrownBy(() -> Rbm.of(new double[][] {{}}, new double[0], new double[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("V >= 1");
        assertThatThrownBy(() -> Rbm.of(w, new double[3], c)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("visibleBias must have length 2");
        assertThatThrownBy(() -> Rbm.of(w, b, new double[2])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hiddenBias must have length 3");
        assertThatThrownBy(() -> Rbm.of(new double[][] {{1, 2}, {3}}, b, new double[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weights[1]");
        assertThatThrownBy(() -> Rbm.of(new double[][] {{1, Double.NaN}}, b, new double[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weights[0][1] must be finite");
        assertThatThrownBy(() -> Rbm.of(w, new double[] {0, Double.POSITIVE_INFINITY}, c))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("visibleBias[1]");
        assertThatThrownBy(() -> Rbm.random(0, 3, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("visible units V must be >= 1");
        assertThatThrownBy(() -> Rbm.random(3, 0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hidden units H must be >= 1");
        assertThatThrownBy(() -> Rbm.random(3, 3, Double.NaN, 1, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("weightStd");
    }

    @Test
    void badParameterMapsAreRejected() {
        java.util.Map<String, Object> p = Rbm.random(3, 2, 1).parameters();
        p.put("weights", new double[][] {{1, 2, 3}});
        assertThatThrownBy(() -> Models.fromParameters(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hiddenBias must have length 1");
        p.remove("weights");
        assertThatThrownBy(() -> Models.fromParameters(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lack 'weights'");
        p.put("weights", "not a matrix");
        assertThatThrownBy(() -> Models.fromParameters(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'weights' must be an array of rows");
        p.put("type", "hopfield");
        assertThatThrownBy(() -> Models.fromParameters(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown model type 'hopfield'");
        assertThatThrownBy(() -> Models.fromParameters(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
