package org.discrete4j.sampler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.discrete4j.model.EnergyModel;
import org.discrete4j.model.Enumeration;
import org.discrete4j.model.IsingModel;
import org.discrete4j.model.PottsModel;

/**
 * Exact one-step checks of a kernel on a model small enough to list its transition matrix T.
 *
 * <p>A test writes T from the kernel's definition (proposal, acceptance, auxiliary draws), and this class checks
 * (a) that T is stochastic and reversible with respect to p, π_x T_xy = π_y T_yx to rounding — which proves the
 * derivation the kernel follows, e.g. the reverse normaliser of a locally-balanced proposal or the bond probability
 * of Swendsen–Wang — and (b) that the kernel's code realises T: from every state x we run N chains for one step;
 * the row of final states is a sample of N iid draws from T_x·, so the TV bound of {@link ExactCheck} applies to
 * each row (δ = 1e-6 per row; with at most 81 rows a correct kernel fails with probability below 1e-4).
 */
final class TransitionCheck {

    private TransitionCheck() {}

    /**
     * A Potts model on d sites with every pair coupled, couplings uniform in (−scale, scale) (or (0, scale) when
     * ferromagnetic) and fields uniform in (−1, 1).
     */
    static PottsModel randomPotts(int d, int k, double scale, boolean ferromagnetic, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[][] pairs = new int[d * (d - 1) / 2][];
        double[] j = new double[pairs.length];
        int q = 0;
        for (int a = 0; a < d; a++) {
            for (int b = a + 1; b < d; b++) {
                pairs[q] = new int[] {a, b};
                j[q++] = ferromagnetic ? r.nextDouble(0, scale) : r.nextDouble(-scale, scale);
            }
        }
        double[][] f = new double[d][k];
        for (double[] row : f) {
            for (int v = 0; v < k; v++) {
                row[v] = r.nextDouble(-1, 1);
            }
        }
        return PottsModel.of(k, pairs, j, f);
    }

    /** A dense Ising model on d sites, couplings as {@link #randomPotts}, fields uniform in (−1, 1). */
    static IsingModel randomIsing(int d, double scale, boolean ferromagnetic, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] j = new double[d][d];
        double[] h = new double[d];
        for (int a = 0; a < d; a++) {
            for (int b = a + 1; b < d; b++) {
                j[a][b] = ferromagnetic ? r.nextDouble(0, scale) : r.nextDouble(-scale, scale);
                j[b][a] = j[a][b];
            }
            h[a] = r.nextDouble(-1, 1);
        }
        return IsingModel.of(j, h);
    }

    /** log p̃ of every state, by index. */
    static double[] logWeights(EnergyModel model) {
        int d = model.dim();
        int k = model.numValues();
        int n = (int) Math.round(Math.pow(k, d));
        int[] x = new int[n * d];
        for (int s = 0; s < n; s++) {
            Enumeration.decode(s, d, k, x, s * d);
        }
        double[] out = new double[n];
        model.logProb(x, n, out);
        return out;
    }

    /** Hamming distance between the states with indices a and b, and the sites where they differ as a bit mask. */
    static int differ(int a, int b, int d, int k) {
        int mask = 0;
        for (int i = d - 1; i >= 0; i--) {
            if (a % k != b % k) {
                mask |= 1 << i;
            }
            a /= k;
            b /= k;
        }
        return mask;
    }

    /** Divides T, summed over the equally likely blocks of a block kernel, by their number; returns T. */
    static double[][] averageOverBlocks(double[][] t, int blocks) {
        for (double[] row : t) {
            for (int y = 0; y < row.length; y++) {
                row[y] /= blocks;
            }
        }
        return t;
    }

    /** Asserts that T is stochastic and p-reversible, to 1e-12. */
    static void assertReversible(EnergyModel model, double[][] t) {
        double[] p = Enumeration.of(model).probabilities();
        for (int x = 0; x < t.length; x++) {
            double sum = 0;
            for (int y = 0; y < t.length; y++) {
                assertThat(t[x][y]).as("T[%d][%d]", x, y).isBetween(-1e-15, 1 + 1e-12);
                sum += t[x][y];
                assertThat(p[x] * t[x][y]).as("detailed balance %d <-> %d", x, y)
                        .isCloseTo(p[y] * t[y][x], org.assertj.core.data.Offset.offset(1e-12 * (p[x] + p[y])));
            }
            assertThat(sum).as("row %d sums to 1", x).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    /** Final-state counts after one step from every state, N chains each. */
    static double[][] oneStepCounts(EnergyModel model, Supplier<Kernel> kernel, int n, long seed) {
        int d = model.dim();
        int k = model.numValues();
        int states = (int) Math.round(Math.pow(k, d));
        double[][] counts = new double[states][states];
        int[] x0 = new int[n * d];
        for (int s = 0; s < states; s++) {
            for (int c = 0; c < n; c++) {
                Enumeration.decode(s, d, k, x0, c * d);
            }
            ChainState state = new ChainState(model, x0, n, seed + s);
            Kernel kern = kernel.get();
            kern.init(state);
            kern.step(state);
            double[] fresh = new double[n];
            model.logProb(state.x(), n, fresh);
            double worst = 0;
            for (int c = 0; c < n; c++) {
                counts[s][Enumeration.encode(state.x(), c * d, d, k)]++;
                worst = Math.max(worst, Math.abs(state.logProb()[c] - fresh[c]));
            }
            assertThat(worst).as("cached log p̃ against recomputation").isLessThan(1e-9);
        }
        return counts;
    }

    /** The worst row of the empirical one-step rows against T: the row with the largest TV / bound. */
    static ExactCheck.Result worstRow(double[][] counts, int n, double[][] t) {
        ExactCheck.Result worst = null;
        for (int s = 0; s < t.length; s++) {
            double[] row = t[s].clone();
            for (int y = 0; y < row.length; y++) {
                row[y] = Math.max(0, row[y]); // a stay probability 1 − Σ may round to −1e-17
            }
            ExactCheck.Result r = ExactCheck.compare(counts[s], n, row);
            if (worst == null || r.tv() / r.bound() > worst.tv() / worst.bound()) {
                worst = r;
            }
        }
        return worst;
    }
}
