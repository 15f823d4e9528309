package org.discrete4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.statistics.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

class FactorialHmmTest {

    /**
     * log p̃ against the joint written directly from the generative story: a product of Bernoulli initial and
     * transition probabilities (by counting switches) and Normal densities from Commons Statistics.
     */
    @Test
    void logProbIsTheLogJointComputedDirectly() {
        FactorialHmm m = FactorialHmm.random(40, 4, 1.3, 0.7, 0.9, 0.2, 17);
        int len = 40;
        int k = 4;
        int chains = 6;
        int[] x = EnergyModelContractTest.randomStates(m, chains, 18);
        System.arraycopy(m.groundTruth(), 0, x, 0, len * k); // chain 0: the true hidden state
        double[] lp = new double[chains];
        m.logProb(x, chains, lp);
        for (int c = 0; c < chains; c++) {
            int o = c * len * k;
            double logPrior = 0;
            for (int s = 0; s < k; s++) {
                logPrior += Math.log(x[o + s] == 1 ? 0.2 : 0.8);
                for (int t = 1; t < len; t++) {
                    boolean same = x[o + t * k + s] == x[o + (t - 1) * k + s];
                    logPrior += Math.log(same ? 0.9 : 0.1);
                }
            }
            double logLik = 0;
            for (int t = 0; t < len; t++) {
                double mu = m.bias();
                for (int s = 0; s < k; s++) {
                    mu += m.weights()[s] * x[o + t * k + s];
                }
                logLik += NormalDistribution.of(mu, 0.7).logDensity(m.observations()[t]);
            }
            assertThat(lp[c]).as("chain %d", c).isCloseTo(logPrior + logLik, within(1e-9 * Math.abs(lp[c])));
        }
        assertThat(lp[0]).as("the truth explains the data better than random states").isGreaterThan(lp[1]);
    }

    /** The factory draws what it documents: switches at rate 1 − ρ and Gaussian noise of variance σ². */
    @Test
    void randomInstanceFollowsThePaperDefaults() {
        FactorialHmm m = FactorialHmm.random(2000, 10, 99);
        assertThat(m.sigma()).isEqualTo(0.5);
        assertThat(m.stay()).isEqualTo(0.95);
        assertThat(m.initial()).isEqualTo(0.1);
        assertThat(m.dim()).isEqualTo(20_000);
        int[] x = m.groundTruth();
        int switches = 0;
        for (int t = 1; t < 2000; t++) {
            for (int k = 0; k < 10; k++) {
                switches += x[t * 10 + k] != x[(t - 1) * 10 + k] ? 1 : 0;
            }
        }
        // 19,990 transitions, switch probability 0.05: sd of the rate is sqrt(0.05·0.95/19990) = 0.0015; 5 sd.
        assertThat(switches / 19990.0).isCloseTo(0.05, within(5 * 0.00154));
        double chi = 0;
        for (int t = 0; t < 2000; t++) {
            double mu = m.bias();
            for (int k = 0; k < 10; k++) {
                mu += m.weights()[k] * x[t * 10 + k];
            }
            double r = (m.observations()[t] - mu) / 0.5;
            chi += r * r;
        }
        // Mean of 2000 χ²₁ draws: sd sqrt(2/2000) = 0.032; 5 sd.
        assertThat(chi / 2000).isCloseTo(1.0, within(5 * 0.032));
        FactorialHmm again = FactorialHmm.random(2000, 10, 99);
        assertThat(again.observations()).containsExactly(m.observations());
        assertThat(again.groundTruth()).containsExactly(x);
        assertThat(FactorialHmm.random(2000, 10, 100).observations()).isNotEqualTo(m.observations());
    }

    @Test
    void groundTruthIsOptionalInTheExport() {
        FactorialHmm m = FactorialHmm.random(5, 2, 1);
        FactorialHmm bare = FactorialHmm.of(m.weights(), m.bias(), m.sigma(), m.stay(), m.initial(),
                m.observations(), null);
        assertThat(bare.groundTruth()).isNull();
        assertThat(bare.parameters()).doesNotContainKey("groundTruth");
        FactorialHmm back = (FactorialHmm) Models.fromParameters(bare.parameters());
        assertThat(back.groundTruth()).isNull();
        assertThat(back.observations()).containsExactly(m.observations());
    }

    @Test
    void badParametersAreRejected() {
        double[] w = {1, -1};
        double[] y = {0.5, 0.2, 0.1};
        assertThatThrownBy(() -> FactorialHmm.of(new double[0], 0, 1, 0.9, 0.1, y, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("K >= 1");
        assertThatThrownBy(() -> FactorialHmm.of(w, 0, 1, 0.9, 0.1, new double[0], null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("T >= 1");
        assertThatThrownBy(() -> FactorialHmm.of(w, 0, 0, 0.9, 0.1, y, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sigma must be finite and > 0");
        assertThatThrownBy(() -> FactorialHmm.of(w, 0, 1, 1.0, 0.1, y, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stay probability");
        assertThatThrownBy(() -> FactorialHmm.of(w, 0, 1, 0.9, Double.NaN, y, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initial probability");
        assertThatThrownBy(() -> FactorialHmm.of(w, Double.NaN, 1, 0.9, 0.1, y, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bias must be finite");
        assertThatThrownBy(() -> FactorialHmm.of(w, 0, 1, 0.9, 0.1, new double[] {0, Double.NaN}, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("observations[1]");
        assertThatThrownBy(() -> FactorialHmm.of(w, 0, 1, 0.9, 0.1, y, new int[5]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("T·K = 6");
        assertThatThrownBy(() -> FactorialHmm.random(0, 3, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("time steps T");
        java.util.Map<String, Object> p = FactorialHmm.random(3, 2, 1).parameters();
        p.put("timeSteps", 4);
        assertThatThrownBy(() -> Models.fromParameters(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeSteps");
    }
}
