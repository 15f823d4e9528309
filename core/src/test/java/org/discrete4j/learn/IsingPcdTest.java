package org.discrete4j.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.discrete4j.model.Enumeration;
import org.discrete4j.model.IsingModel;
import org.discrete4j.train.Checkpoint;
import org.discrete4j.train.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IsingPcdTest {

    static final int D = 9; // a 3×3 lattice: 2^9 states to enumerate

    /** Exact E_p[s_i s_j] of every pair by enumeration. */
    static double[] exactPairMeans(IsingModel m) {
        Enumeration e = Enumeration.of(m);
        double[] p = e.probabilities();
        int d = m.dim();
        double[] out = new double[IsingPcd.pairs(d)];
        int[] x = new int[d];
        for (int s = 0; s < p.length; s++) {
            Enumeration.decode(s, d, 2, x, 0);
            double[] one = IsingPcd.pairMeans(x, 0, 1, d);
            for (int q = 0; q < out.length; q++) {
                out[q] += p[s] * one[q];
            }
        }
        return out;
    }

    /** n exact draws of the model (inverse CDF over the enumerated states). */
    static int[] exactDraws(IsingModel m, int n, long seed) {
        double[] p = Enumeration.of(m).probabilities();
        SplittableRandom r = new SplittableRandom(seed);
        int d = m.dim();
        int[] x = new int[n * d];
        for (int c = 0; c < n; c++) {
            double u = r.nextDouble();
            int s = 0;
            for (double acc = p[0]; acc < u && s < p.length - 1; acc += p[++s]) {
                // advance to the state whose cumulative probability passes u
            }
            Enumeration.decode(s, d, 2, x, c * d);
        }
        return x;
    }

    static double meanLogLikelihood(double[] couplings, double[] fields, int[] data, int n) {
        IsingModel m = IsingPcd.model(couplings, fields);
        double[] lp = new double[n];
        m.logProb(data, n, lp);
        double s = 0;
        for (double v : lp) {
            s += v;
        }
        return s / n - Enumeration.of(m).logZ();
    }

    static double[] randomCouplings(int d, double scale, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] j = new double[IsingPcd.pairs(d)];
        for (int q = 0; q < j.length; q++) {
            j[q] = scale * r.nextGaussian();
        }
        return j;
    }

    /**
     * The closed form the learner ascends, mean_data s_i s_j − E_p[s_i s_j], is the gradient of the mean
     * log-likelihood: checked against central differences of the exactly enumerated log-likelihood for all 36 pairs
     * of a 3×3 model with dense random couplings and fields (so the pair indexing is checked too).
     */
    @Test
    void closedFormGradientIsTheLogLikelihoodGradient() {
        double[] j = randomCouplings(D, 0.3, 1);
        double[] h = new double[D];
        for (int i = 0; i < D; i++) {
            h[i] = 0.1 * (i - 4);
        }
        int n = 50;
        int[] data = new int[n * D];
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < data.length; i++) {
            data[i] = r.nextInt(2);
        }
        double[] dataMeans = IsingPcd.pairMeans(data, 0, n, D);
        double[] modelMeans = exactPairMeans(IsingPcd.model(j, h));
        double eps = 1e-5;
        for (int q = 0; q < j.length; q++) {
            double[] plus = j.clone();
            double[] minus = j.clone();
            plus[q] += eps;
            minus[q] -= eps;
            double fd = (meanLogLikelihood(plus, h, data, n) - meanLogLikelihood(minus, h, data, n)) / (2 * eps);
            assertThat(dataMeans[q] - modelMeans[q]).as("pair %d", q).isCloseTo(fd, within(1e-6));
        }
    }

    /**
     * The model term as PCD estimates it, pair means over chains advanced by a sampler, agrees with the exact
     * expectation: 4000 chains of 300 GWG steps on the 3×3 model. Each s_i s_j is ±1, so its mean over n independent
     * chains has standard error sqrt(1 − m²)/sqrt(n); 4.5 standard errors on each of 36 pairs fail by chance with
     * probability below 36 · 7e−6.
     */
    @Test
    void chainsEstimateTheModelExpectation() {
        IsingModel m = IsingPcd.model(randomCouplings(D, 0.4, 3), new double[D]);
        double[] exact = exactPairMeans(m);
        int n = 4000;
        double[] est = IsingPcd.pairMeans(IsingPcd.draw(m, "gwg", n, 300, 4), 0, n, D);
        for (int q = 0; q < exact.length; q++) {
            double se = Math.sqrt((1 - exact[q] * exact[q]) / n);
            assertThat(est[q]).as("pair %d", q).isCloseTo(exact[q], within(4.5 * se));
        }
    }

    /**
     * One iteration moves every coupling by Adam's first step, lr · g / (|g| + ε) ≈ lr · sign(g), in the direction of
     * mean_batch s_i s_j − mean_chains s_i s_j. From J = 0 the chains stay uniform, so their pair means are within a
     * few 1/sqrt(2000) of 0, and data from a strongly coupled model give clearly positive data means on its bonds.
     */
    @Test
    void firstStepAscendsTheEstimatedGradient() {
        IsingModel truth = IsingModel.lattice(3, 0.8, 0);
        int n = 400;
        int[] data = exactDraws(truth, n, 5);
        double lr = 0.01;
        try (NDManager manager = NDManager.newBaseManager();
                IsingPcd pcd = new IsingPcd(data, n, new double[D], new IsingPcd.Settings("gibbs", 2000, n, 5, lr, 0),
                        manager, 6)) {
            pcd.iterate(new SplittableRandom(7));
            double[] dataMeans = IsingPcd.pairMeans(data, 0, n, D);
            double[] modelMeans = IsingPcd.pairMeans(pcd.chains(), 0, 2000, D);
            double[] j = pcd.couplings();
            int checked = 0;
            for (int q = 0; q < j.length; q++) {
                double g = dataMeans[q] - modelMeans[q];
                if (Math.abs(g) > 0.01) {
                    assertThat(j[q]).as("pair %d", q).isCloseTo(lr * Math.signum(g), within(lr * 1e-3));
                    checked++;
                }
            }
            assertThat(checked).isGreaterThan(18); // the 18 lattice bonds at least
            assertThat(pcd.iteration()).isEqualTo(1);
        }
    }

    /**
     * Learning recovers the couplings of a 3×3 periodic lattice (J = 0.3 on its 18 bonds, 0 on the other 18 pairs)
     * from 2000 exact draws: the RMSE over the 81 matrix entries falls from 0.18 (all zero) to a small fraction. The
     * bound 0.05 is loose: the maximum-likelihood estimate from 2000 draws has a standard error near
     * 1/sqrt(2000 · var(s_i s_j)) ≈ 0.025 per pair.
     */
    @Test
    void learnsASmallLattice() {
        IsingModel truth = IsingModel.lattice(3, 0.3, 0);
        double[] target = IsingPcd.couplingsOf(truth);
        int n = 2000;
        int[] data = exactDraws(truth, n, 8);
        try (NDManager manager = NDManager.newBaseManager();
                IsingPcd pcd = new IsingPcd(data, n, new double[D], new IsingPcd.Settings("gwg", 200, 200, 20, 0.02,
                        0.01), manager, 9)) {
            double start = IsingPcd.rmse(pcd.couplings(), target, D);
            SplittableRandom r = new SplittableRandom(10);
            for (int t = 0; t < 400; t++) {
                pcd.iterate(r);
            }
            double end = IsingPcd.rmse(pcd.couplings(), target, D);
            assertThat(start).isCloseTo(Math.sqrt(18 * 2 * 0.09 / 81), within(0.01));
            assertThat(end).isLessThan(0.05);
        }
    }

    /**
     * A run of 2 chunks equals 1 chunk, a checkpoint, a fresh learner (other initial seed) restored from it, and the
     * second chunk: every chunk draws from its own seed, and the checkpoint holds everything else.
     */
    @Test
    void resumedRunEqualsUninterruptedOne(@TempDir Path dir) {
        IsingModel truth = IsingModel.lattice(3, 0.3, 0);
        int n = 200;
        int[] data = exactDraws(truth, n, 11);
        // A systematic scan of 4 steps per iteration: its position (4·5 mod 9) carries over between iterations.
        IsingPcd.Settings s = new IsingPcd.Settings("gibbs-sweep", 20, 50, 4, 0.01, 0.01);
        try (NDManager manager = NDManager.newBaseManager();
                IsingPcd straight = new IsingPcd(data, n, new double[D], s, manager, 12);
                IsingPcd first = new IsingPcd(data, n, new double[D], s, manager, 12);
                IsingPcd resumed = new IsingPcd(data, n, new double[D], s, manager, 99)) {
            for (int chunk = 0; chunk < 2; chunk++) {
                straight.resetSampler();
                SplittableRandom r = new SplittableRandom(Seeds.of(13, chunk));
                for (int t = 0; t < 5; t++) {
                    straight.iterate(r);
                }
            }
            first.resetSampler();
            SplittableRandom r0 = new SplittableRandom(Seeds.of(13, 0));
            for (int t = 0; t < 5; t++) {
                first.iterate(r0);
            }
            Path file = dir.resolve("pcd.ckpt");
            Checkpoint.save(file, first.arrays("gibbs"), first.values("gibbs"));
            resumed.restore(Checkpoint.load(file, manager), "gibbs");
            SplittableRandom r1 = new SplittableRandom(Seeds.of(13, 1));
            for (int t = 0; t < 5; t++) {
                resumed.iterate(r1);
            }
            assertThat(resumed.iteration()).isEqualTo(10);
            assertThat(resumed.couplings()).containsExactly(straight.couplings());
            assertThat(resumed.chains()).containsExactly(straight.chains());
        }
    }

    @Test
    void badInput() {
        try (NDManager manager = NDManager.newBaseManager()) {
            IsingPcd.Settings s = new IsingPcd.Settings("gwg", 2, 2, 1, 0.01, 0.01);
            assertThatThrownBy(() -> new IsingPcd(new int[] {0, 2, 1, 0}, 2, new double[2], s, manager, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("binary");
            assertThatThrownBy(() -> new IsingPcd(new int[] {0, 1, 1}, 2, new double[2], s, manager, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n × dim");
            assertThatThrownBy(() -> new IsingPcd.Settings("nope", 2, 2, 1, 0.01, 0.01))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown sampler");
            assertThatThrownBy(() -> new IsingPcd.Settings("gwg", 2, 2, 1, 0, 0.01))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("learning rate");
        }
    }
}
