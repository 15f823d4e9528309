package org.discrete4j.diagnostic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The ground-truth-to-ground-truth floor of the RBM comparison: two independent sets from one distribution. For the
 * V-statistic, E MMD² = (1/n + 1/m)(1 − E k(x, x')) exactly (the self-pairs contribute 1 instead of E k), and for
 * product-Bernoulli(p) states on D sites E k = (1 − q + q e^{−1/D})^D with q = 2p(1 − p), the chance that two
 * draws differ at a site. The U-statistic is unbiased: mean 0.
 */
class MmdFloorTest {

    static int[] bernoulli(int n, int d, double p, SplittableRandom r) {
        int[] x = new int[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextDouble() < p ? 1 : 0;
        }
        return x;
    }

    /**
     * 400 replicate pairs of sets (n = 40, m = 160, D = 20, p = 0.3): the replicate mean lies within 4.5 standard
     * errors (the replicates' sd over sqrt(400)) of the exact expectation, for the V- and the U-statistic.
     */
    @Test
    void floorMatchesItsExpectation() {
        int d = 20;
        int n = 40;
        int m = 160;
        double p = 0.3;
        double q = 2 * p * (1 - p);
        double ek = Math.pow(1 - q + q * Math.exp(-1.0 / d), d);
        double exactV = (1.0 / n + 1.0 / m) * (1 - ek);
        SplittableRandom r = new SplittableRandom(1);
        int reps = 400;
        double[] v = new double[reps];
        double[] u = new double[reps];
        for (int i = 0; i < reps; i++) {
            int[] x = bernoulli(n, d, p, r);
            int[] y = bernoulli(m, d, p, r);
            v[i] = Mmd.squared(x, n, y, m, d);
            u[i] = Mmd.squared(x, n, y, m, d, true);
        }
        assertThat(mean(v)).isCloseTo(exactV, within(4.5 * sd(v) / Math.sqrt(reps)));
        assertThat(mean(u)).isCloseTo(0, within(4.5 * sd(u) / Math.sqrt(reps)));
    }

    /** The floor falls like 1/n + 1/m: four times the draws on both sides, about a quarter of the floor. */
    @Test
    void floorShrinksWithMoreDraws() {
        SplittableRandom r = new SplittableRandom(2);
        int d = 30;
        double small = 0;
        double large = 0;
        for (int i = 0; i < 20; i++) {
            small += Mmd.squared(bernoulli(25, d, 0.5, r), 25, bernoulli(100, d, 0.5, r), 100, d);
            large += Mmd.squared(bernoulli(100, d, 0.5, r), 100, bernoulli(400, d, 0.5, r), 400, d);
        }
        assertThat(large / small).isBetween(0.2, 0.3);
    }

    static double mean(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v;
        }
        return s / a.length;
    }

    static double sd(double[] a) {
        double m = mean(a);
        double s = 0;
        for (double v : a) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / (a.length - 1));
    }
}
