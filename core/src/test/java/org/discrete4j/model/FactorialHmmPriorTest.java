package org.discrete4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Prior draws, reconstruction error and bit error of the factorial HMM, as the fhmm comparison uses them. */
class FactorialHmmPriorTest {

    /**
     * 2000 prior draws of T = 50, K = 4 (α = 0.1, ρ = 0.95): the fraction of ones at t = 0 and the fraction of
     * transitions that stay lie within 4.5 binomial standard errors of α and ρ.
     */
    @Test
    void priorDrawsHaveTheInitialAndStayProbabilities() {
        FactorialHmm hmm = FactorialHmm.random(50, 4, 1);
        int chains = 2000;
        int d = hmm.dim();
        int[] x = new int[chains * d];
        hmm.samplePrior(x, chains, new SplittableRandom(2));
        long ones = 0;
        long stays = 0;
        for (int c = 0; c < chains; c++) {
            for (int k = 0; k < 4; k++) {
                ones += x[c * d + k];
                for (int t = 1; t < 50; t++) {
                    stays += x[c * d + t * 4 + k] == x[c * d + (t - 1) * 4 + k] ? 1 : 0;
                }
            }
        }
        double n0 = chains * 4.0;
        double nt = chains * 4.0 * 49;
        assertThat(ones / n0).isCloseTo(0.1, within(4.5 * Math.sqrt(0.1 * 0.9 / n0)));
        assertThat(stays / nt).isCloseTo(0.95, within(4.5 * Math.sqrt(0.95 * 0.05 / nt)));
    }

    @Test
    void errorsOfTheTruthAndOfOtherStates() {
        double[] w = {1.0, -2.0};
        double[] y = {0.5, 1.0, -1.0};
        int[] truth = {1, 0, 0, 1, 1, 1}; // time-major: t0 (1, 0), t1 (0, 1), t2 (1, 1)
        FactorialHmm hmm = FactorialHmm.of(w, 0.25, 0.5, 0.9, 0.2, y, truth);
        int[] x = new int[12];
        System.arraycopy(truth, 0, x, 6, 6); // chain 0 all zeros, chain 1 the truth
        assertThat(hmm.bitError(x, 1)).isZero();
        assertThat(hmm.bitError(x, 0)).isCloseTo(4 / 6.0, within(1e-15));
        // μ_t = 0.25 + Σ_k w_k x_{k,t}: truth gives 1.25, −1.75, −0.75.
        double truthError = Math.pow(0.5 - 1.25, 2) + Math.pow(1.0 + 1.75, 2) + Math.pow(-1.0 + 0.75, 2);
        assertThat(hmm.reconstructionError(x, 1)).isCloseTo(truthError, within(1e-12));
        double zeroError = Math.pow(0.25, 2) + Math.pow(0.75, 2) + Math.pow(1.25, 2);
        assertThat(hmm.reconstructionError(x, 0)).isCloseTo(zeroError, within(1e-12));
        FactorialHmm unknown = FactorialHmm.of(w, 0.25, 0.5, 0.9, 0.2, y, null);
        assertThatThrownBy(() -> unknown.bitError(x, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> hmm.samplePrior(new int[5], 1, new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
